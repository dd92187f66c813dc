import type { ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="stack sm" style={{ flex: 1, minWidth: 0 }}>
        <h1>{title}</h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {actions && <div className="row wrap">{actions}</div>}
    </header>
  );
}

export function Card({ title, actions, children, padded = true, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; padded?: boolean; className?: string }) {
  return (
    <section className={`card ${className ?? ""}`}>
      {title && (
        <div className="card-header">
          <h2 style={{ fontSize: 15 }}>{title}</h2>
          {actions}
        </div>
      )}
      {padded ? <div className="card-body">{children}</div> : children}
    </section>
  );
}

export function Stat({ label, value, sub }: { label: string; value: ReactNode; sub?: ReactNode }) {
  return (
    <div className="card stat">
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {sub && <div className="small muted">{sub}</div>}
    </div>
  );
}

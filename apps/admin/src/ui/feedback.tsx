/** Loading, empty and error states, badges and progress bars: one look for "what is happening". */
import { AlertTriangle, CheckCircle2, Info, XCircle } from "lucide-react";
import type { ReactNode } from "react";
import { ApiError } from "../api/http";

export function Spinner({ label = "Loading", small }: { label?: string; small?: boolean }) {
  return <span className={`spinner ${small ? "sm" : ""}`} role="status" aria-label={label} />;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="center-block" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div style={{ marginTop: 8 }}>{action}</div>}
    </div>
  );
}

type Tone = "error" | "warning" | "info" | "success";
const toneIcon: Record<Tone, ReactNode> = {
  error: <XCircle aria-hidden="true" />,
  warning: <AlertTriangle aria-hidden="true" />,
  info: <Info aria-hidden="true" />,
  success: <CheckCircle2 aria-hidden="true" />,
};

export function Alert({ tone = "info", title, children }: { tone?: Tone; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {toneIcon[tone]}
      <div className="stack sm">
        {title && <strong>{title}</strong>}
        {children && <div className="alert-body">{children}</div>}
      </div>
    </div>
  );
}

/** Shows an API error as the API phrased it, with the request id for support. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const details = error instanceof ApiError ? error.fieldMessages() : [];
  return (
    <Alert tone="error" title={title ?? message}>
      {title && <div>{message}</div>}
      {details.length > 0 && (
        <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {requestId && <div className="request-id">Request id: {requestId}</div>}
    </Alert>
  );
}

export type BadgeTone = "default" | "success" | "warning" | "danger" | "info" | "primary";
export function Badge({ tone = "default", plain, children }: { tone?: BadgeTone; plain?: boolean; children: ReactNode }) {
  return <span className={`badge ${tone === "default" ? "" : tone} ${plain ? "plain" : ""}`}>{children}</span>;
}

export function ProgressBar({ value, tone, label, indeterminate }: { value: number; tone?: "success" | "danger"; label: string; indeterminate?: boolean }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className={`progress ${tone ?? ""} ${indeterminate ? "indeterminate" : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(indeterminate ? {} : { "aria-valuenow": clamped })}
    >
      <div style={{ width: `${clamped}%` }} />
    </div>
  );
}

export function SkeletonRows({ rows = 3 }: { rows?: number }) {
  return (
    <div className="stack sm" aria-hidden="true" style={{ padding: 16 }}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}

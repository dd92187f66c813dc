import type { ButtonHTMLAttributes, ReactNode } from "react";

type Variant = "default" | "primary" | "danger" | "ghost";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: "md" | "sm";
  icon?: ReactNode;
  loading?: boolean;
  /** Icon-only button; `aria-label` is then required by the caller. */
  iconOnly?: boolean;
}

export function Button({ variant = "default", size = "md", icon, loading, iconOnly, className, children, disabled, type, ...rest }: ButtonProps) {
  const classes = ["btn", variant !== "default" ? variant : "", size === "sm" ? "sm" : "", iconOnly ? "icon" : "", className ?? ""]
    .filter(Boolean)
    .join(" ");
  return (
    <button type={type ?? "button"} className={classes} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {loading ? <span className="spinner sm" aria-hidden="true" /> : icon}
      {children}
    </button>
  );
}

import { randomBytes } from "node:crypto";

/** "Acme Support!" -> "acme-support-3f9a1c"; the suffix keeps slugs unique without a lookup. */
export function newSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return `${base || "workspace"}-${randomBytes(3).toString("hex")}`;
}

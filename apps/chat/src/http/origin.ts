/**
 * Widget origin checks. Allowlist entries are scheme://host[:port]; the one wildcard form
 * "https://*.example.com" matches any subdomain of example.com (not example.com itself)
 * over the same scheme and port. An empty allowlist allows no site.
 */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function originAllowed(origin: string | undefined, allowlist: string[]): boolean {
  if (!origin) return false;
  const normalized = normalizeOrigin(origin);
  if (!normalized) return false;
  const url = new URL(normalized);
  for (const entry of allowlist) {
    const wildcard = /^(https?):\/\/\*\.([^/:]+)(?::(\d+))?$/i.exec(entry.trim());
    if (wildcard) {
      const [, scheme, domain, port] = wildcard;
      if (
        url.protocol === `${scheme!.toLowerCase()}:` &&
        url.hostname.endsWith(`.${domain!.toLowerCase()}`) &&
        url.port === (port ?? "")
      ) {
        return true;
      }
      continue;
    }
    if (normalizeOrigin(entry) === normalized) return true;
  }
  return false;
}

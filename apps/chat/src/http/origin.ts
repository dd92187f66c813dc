/**
 * Widget origin checks. Allowlist entries are scheme://host[:port]; the one wildcard form
 * "https://*.example.com" matches any subdomain of example.com (not example.com itself)
 * over the same scheme and port. An empty allowlist allows no site.
 *
 * A browser's Origin header is exactly the serialized origin (`https://a.example.com`,
 * lower-case, no default port). Anything else, such as user info
 * (`https://user@a.example.com`), a path, a query or a fragment, did not come from a
 * browser's origin serialization and is refused rather than normalised into a match.
 */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The Origin header as an origin, only if it is exactly one. */
export function parseOriginHeader(value: string): string | null {
  const origin = normalizeOrigin(value);
  return origin !== null && origin === value ? origin : null;
}

export function originAllowed(origin: string | undefined, allowlist: string[]): boolean {
  if (!origin) return false;
  const normalized = parseOriginHeader(origin);
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

/**
 * Which URLs a website source may crawl: the page's address without its fragment (one
 * page, however many anchors link into it), on the start URL's host or an allowed one,
 * with a path the include patterns admit and the exclude patterns do not.
 */
import picomatch from "picomatch";

export interface ScopeRules {
  /** Host names pages may be on (the start URL's own first), lower case. */
  hosts: string[];
  /** Path globs (`/docs/**`); when any is given, a page's path must match one. */
  include: string[];
  exclude: string[];
}

export type ScopeVerdict = { inScope: true; url: string } | { inScope: false; reason: string };

/** http(s) URL without fragment, or null for anything else (mailto:, javascript:, bad syntax). */
export function normalizePageUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;
  url.hash = "";
  if (url.search === "?") url.search = "";
  return url.toString();
}

/** A glob check per pattern list, compiled once per crawl. */
export function createScope(rules: ScopeRules): (url: string) => ScopeVerdict {
  const hosts = new Set(rules.hosts.map((h) => h.toLowerCase()));
  const include = rules.include.length > 0 ? picomatch(rules.include, { dot: true }) : undefined;
  const exclude = rules.exclude.length > 0 ? picomatch(rules.exclude, { dot: true }) : undefined;
  return (raw) => {
    const normalized = normalizePageUrl(raw);
    if (!normalized) return { inScope: false, reason: "not an http(s) address" };
    const url = new URL(normalized);
    if (!hosts.has(url.hostname)) return { inScope: false, reason: `${url.hostname} is not one of the source's sites` };
    const path = decodePath(url.pathname);
    if (include && !include(path)) return { inScope: false, reason: `${path} matches no include pattern` };
    if (exclude?.(path)) return { inScope: false, reason: `${path} matches an exclude pattern` };
    return { inScope: true, url: normalized };
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

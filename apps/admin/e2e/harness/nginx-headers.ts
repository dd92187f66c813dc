/**
 * The response headers infra/nginx/admin.conf adds, read from the config itself, so the
 * browser tests run the built app under exactly the headers production sends (the CSP
 * above all): a change to the config that breaks the app fails the tests.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const nginxConfigPath = resolve(import.meta.dirname, "../../../../infra/nginx/admin.conf");

/** `add_header` directives of one `location` block (e.g. "/" or "= /widget.js"), by header name. */
export function nginxHeaders(location: string, config = readFileSync(nginxConfigPath, "utf8")): Record<string, string> {
  const start = config.indexOf(`location ${location} {`);
  if (start < 0) throw new Error(`infra/nginx/admin.conf has no "location ${location}" block`);
  const block = config.slice(start, config.indexOf("\n  }", start));
  const headers: Record<string, string> = {};
  for (const match of block.matchAll(/^\s*add_header\s+([\w-]+)\s+"([^"]*)"(?:\s+always)?;/gm)) {
    headers[match[1]!.toLowerCase()] = match[2]!;
  }
  return headers;
}

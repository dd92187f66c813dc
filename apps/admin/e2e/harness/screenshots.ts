/**
 * Where the browser journeys save their screenshots: a fresh temporary folder, so a test
 * run never rewrites the pictures the docs show. `pnpm screenshots` (the admin's
 * `screenshots` script) runs the journeys with DOCENT_SCREENSHOTS_DIR=docs/screenshots
 * to refresh them on purpose.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export function screenshotDir(): string {
  const chosen = process.env.DOCENT_SCREENSHOTS_DIR;
  if (!chosen) return mkdtempSync(join(tmpdir(), "docent-screenshots-"));
  const dir = resolve(chosen);
  mkdirSync(dir, { recursive: true });
  return dir;
}

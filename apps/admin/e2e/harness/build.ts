/** Builds the widget and the admin app once per test run, as the production image does. */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export const adminDir = resolve(import.meta.dirname, "../..");
export const distDir = resolve(adminDir, "dist");

export function buildAdmin(): void {
  const vite = resolve(adminDir, "node_modules/vite/bin/vite.js");
  execFileSync(process.execPath, [vite, "build", "--logLevel", "error"], { cwd: resolve(adminDir, "../widget"), stdio: "inherit" });
  execFileSync(process.execPath, [vite, "build", "--logLevel", "error"], { cwd: adminDir, stdio: "inherit" });
}

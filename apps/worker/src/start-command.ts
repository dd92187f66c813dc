/**
 * How the worker process is started, read from this package's `start` script: the
 * benchmark and the crash tests spawn the worker with exactly these arguments, so the
 * memory and signal behaviour they measure is the one production runs (the Dockerfile's
 * CMD and the compose `command` must match it; start-command.test.ts checks the
 * Dockerfile).
 */
import { readFileSync } from "node:fs";

const packageJsonUrl = new URL("../package.json", import.meta.url);

/** The `start` script as argv, e.g. ["node", "--max-semi-space-size=4", ..., "src/main.ts"]. */
export function workerStartCommand(): string[] {
  const pkg = JSON.parse(readFileSync(packageJsonUrl, "utf8")) as { scripts?: { start?: string } };
  const start = pkg.scripts?.start;
  if (!start) throw new Error("apps/worker/package.json has no start script");
  const argv = start.trim().split(/\s+/);
  if (argv[0] !== "node") throw new Error(`the worker's start script must run node directly: ${start}`);
  return argv;
}

/** Arguments for `spawn(process.execPath, ...)`, run with apps/worker as the working directory. */
export function workerNodeArgs(): string[] {
  return workerStartCommand().slice(1);
}

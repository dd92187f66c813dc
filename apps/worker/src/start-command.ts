/**
 * How the worker process is started, read from this package's `start` script: the
 * benchmark and the crash tests spawn the worker with exactly these arguments, so the
 * memory and signal behaviour they measure is the one production runs (the Dockerfile's
 * CMD and the compose `command` must match it; start-command.test.ts checks the
 * Dockerfile).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the process is running; rejects if it could not be started. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** The last few KB of its stdout, to show when it dies. */
  output: () => string;
}

/** Starts the worker exactly as `start` does, with `env` over this process's environment. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, workerNodeArgs(), {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () => resolve());
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

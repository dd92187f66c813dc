/**
 * How the worker process is started: its package's `start` script, which the image's CMD
 * repeats (packages/testing/src/dockerfile.test.ts checks). The benchmark and the crash
 * tests spawn the worker with exactly these arguments, so the memory and signal behaviour
 * they measure is the one production runs.
 */
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnService, startCommand, type ServiceProcess } from "@docent/testing/process";

export const workerDir = fileURLToPath(new URL("..", import.meta.url));

/** The `start` script as argv, e.g. ["node", "--max-semi-space-size=4", ..., "dist/main.js"]. */
export function workerStartCommand(): string[] {
  return startCommand(workerDir);
}

/**
 * Starts the worker as `start` does, with `env` over a clean environment (tests) or over
 * this process's (`inheritEnv`, benchmarks). The ops server takes a free port, so several
 * workers can run side by side.
 */
export function spawnWorkerProcess(env: Record<string, string>, options: { inheritEnv?: boolean } = {}): ServiceProcess {
  return spawnService(workerDir, { WORKER_OPS_PORT: "0", ...env }, options);
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the process is running; rejects if it could not be started. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** The last lines of its output, to show when it dies. */
  output: () => string;
}

/** For benchmarks: the worker over this process's environment. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const service = spawnWorkerProcess(env, { inheritEnv: true });
  const ready = new Promise<void>((resolve, reject) => {
    service.child.once("error", reject);
    service.child.once("spawn", () => resolve());
  });
  return { child: service.child, ready, exited: service.exited.then((e) => e.code), output: () => service.tail(40) };
}

/**
 * How the worker process is started: its package's `start` script, which the image's CMD
 * repeats (packages/testing/src/dockerfile.test.ts checks). The benchmark and the crash
 * tests spawn the worker with exactly these arguments, so the memory and signal behaviour
 * they measure is the one production runs.
 */
import { fileURLToPath } from "node:url";
import { type BenchmarkProcess, spawnForBenchmark, spawnService, startCommand, type ServiceProcess } from "@docent/testing/process";

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

/** For benchmarks: the worker over this process's environment. */
export function spawnWorker(env: Record<string, string>): BenchmarkProcess {
  return spawnForBenchmark(workerDir, { WORKER_OPS_PORT: "0", ...env });
}

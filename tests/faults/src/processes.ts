/**
 * The services as the processes production runs: api, chat and worker with their
 * packages' compiled start commands (the images' CMDs). Output lines are collected for
 * assertions; every process still running when a test file ends is killed.
 */
import { fileURLToPath } from "node:url";
import { assertBuilt, spawnService, type ServiceProcess } from "@docent/testing/process";
import { afterAll } from "vitest";

const appDir = (app: string) => fileURLToPath(new URL(`../../../apps/${app}`, import.meta.url));

export interface NodeProcess extends ServiceProcess {
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<NodeProcess>();
let cleanupRegistered = false;

function startApp(app: "api" | "chat" | "worker", env: Record<string, string>): NodeProcess {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      await Promise.all([...running].map((p) => p.stop(5000)));
    });
  }
  assertBuilt(appDir(app));
  const service = spawnService(appDir(app), env);
  const processHandle: NodeProcess = {
    ...service,
    async stop(graceMs = 15_000) {
      running.delete(processHandle);
      const { child, exited } = service;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(processHandle);
  void service.exited.then(() => running.delete(processHandle));
  return processHandle;
}

export interface ServerProcess extends NodeProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
}

/** Starts the api or chat service on a free port and waits until it listens. */
export async function startServer(app: "api" | "chat", env: Record<string, string>): Promise<ServerProcess> {
  // Metrics on a free port too: several services of a run share the host.
  const proc = startApp(app, { HOST: "127.0.0.1", PORT: "0", METRICS_PORT: "0", ...env });
  const line = await Promise.race([
    proc.waitForLine(/Server listening at http:\/\/127\.0\.0\.1:\d+/, 60_000),
    proc.exited.then(({ code }) => {
      throw new Error(`${app} exited (${code}) before listening:\n${proc.tail(30)}`);
    }),
  ]);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
  return { ...proc, url };
}

/** Starts the worker exactly as its package's `start` script does (ops server on a free port). */
export function startWorker(env: Record<string, string>): NodeProcess {
  return startApp("worker", { WORKER_OPS_PORT: "0", ...env });
}

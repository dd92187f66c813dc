/**
 * The services as the processes production runs: the api and chat servers (src/server.ts
 * under tsx) and the worker with its shipped start command. Output lines are collected
 * for assertions; every process still running when a test file ends is killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { workerNodeArgs } from "@docent/worker/start-command";
import { afterAll } from "vitest";

const appDir = (app: string) => fileURLToPath(new URL(`../../../apps/${app}`, import.meta.url));

export interface NodeProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<NodeProcess>();
let cleanupRegistered = false;

export function spawnNode(cwd: string, args: string[], env: Record<string, string>): NodeProcess {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      await Promise.all([...running].map((p) => p.stop(5000)));
    });
  }
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (data: Buffer) => {
    lines.push(...data.toString().split("\n").filter(Boolean));
    for (const wake of waiters) wake();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const processHandle: NodeProcess = {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${pattern} in:\n${lines.slice(-30).join("\n")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 15_000) {
      running.delete(processHandle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(processHandle);
  void exited.then(() => running.delete(processHandle));
  return processHandle;
}

export interface ServerProcess extends NodeProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
}

/** Starts apps/<app>/src/server.ts on a free port and waits until it listens. */
export async function startServer(app: "api" | "chat", env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawnNode(appDir(app), ["--import", "tsx", "src/server.ts"], { HOST: "127.0.0.1", PORT: "0", ...env });
  const line = await Promise.race([
    proc.waitForLine(/Server listening at http:\/\/127\.0\.0\.1:\d+/, 60_000),
    proc.exited.then(({ code }) => {
      throw new Error(`${app} exited (${code}) before listening:\n${proc.lines.slice(-30).join("\n")}`);
    }),
  ]);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
  return { ...proc, url };
}

/** Starts the worker exactly as its package's `start` script does. */
export function startWorker(env: Record<string, string>): NodeProcess {
  return spawnNode(appDir("worker"), workerNodeArgs(), env);
}

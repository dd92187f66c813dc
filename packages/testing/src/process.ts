/**
 * Services as real processes, started exactly as they ship: the package's `start` script
 * (the Dockerfile's CMD runs the same argv; a test checks). Tests use this to watch what
 * only a process shows: start-up, signals, graceful shutdown, crashes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The `start` script of the package in `packageDir` as argv, without its leading `exec`. */
export function startCommand(packageDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string; scripts?: { start?: string } };
  const start = pkg.scripts?.start;
  if (!start) throw new Error(`${pkg.name} has no start script`);
  const argv = start.trim().replace(/^exec\s+/, "").split(/\s+/);
  if (argv[0] !== "node") throw new Error(`${pkg.name}'s start script must run node directly: ${start}`);
  return argv;
}

/** Fails with a clear message when the compiled output the start command runs is missing. */
export function assertBuilt(packageDir: string): void {
  const entry = startCommand(packageDir).at(-1)!;
  if (!existsSync(join(packageDir, entry))) {
    throw new Error(`${join(packageDir, entry)} is missing: run \`pnpm build\` first (pnpm test does)`);
  }
}

export interface ServiceProcess extends OutputLines {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnServiceOptions {
  /** Run through `pnpm start` instead of node directly (the package-script start path). */
  viaPnpm?: boolean;
  /** Inherit this process's environment under `env` (benchmarks); tests start clean. */
  inheritEnv?: boolean;
}

/** The output lines of a child process, and a wait for a line that matches. */
export interface OutputLines {
  lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The last lines of output, for failure messages. */
  tail(count?: number): string;
}

/** Collects `child`'s stdout and stderr line by line (and hands each chunk to `onData`). */
export function collectOutput(child: ChildProcess, onData?: (data: Buffer) => void): OutputLines {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (data: Buffer) => {
    onData?.(data);
    lines.push(...data.toString().split("\n").filter(Boolean));
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const tail = (count = 20) => lines.slice(-count).join("\n");
  return {
    lines,
    tail,
    waitForLine(pattern, timeoutMs = 20_000) {
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
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms in:\n${tail()}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Starts the package's service with its shipped command and `env`, collecting its output. */
export function spawnService(packageDir: string, env: Record<string, string>, options: SpawnServiceOptions = {}): ServiceProcess {
  const base = options.inheritEnv
    ? process.env
    : { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", LOG_LEVEL: "info" };
  const [command, ...args] = options.viaPnpm ? ["pnpm", "start"] : [process.execPath, ...startCommand(packageDir).slice(1)];
  const child = spawn(command!, args, { cwd: packageDir, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, ...collectOutput(child) };
}

/**
 * The folder of one of the repository's deployable apps, for a test or benchmark elsewhere
 * that runs it as a process: apps never import each other's code (.dependency-cruiser.cjs),
 * but a benchmark of chat may well need a worker running.
 */
export function appDir(app: "api" | "chat" | "worker"): string {
  return fileURLToPath(new URL(`../../../apps/${app}/`, import.meta.url));
}

/** A service started for a benchmark. */
export interface BenchmarkProcess {
  child: ChildProcess;
  /** Resolves once the process is running; rejects if it could not be started. */
  ready: Promise<void>;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** The last lines of its output, to show when it dies. */
  output: () => string;
}

/** For benchmarks: the service in `packageDir` started as it ships, over this process's environment. */
export function spawnForBenchmark(packageDir: string, env: Record<string, string>): BenchmarkProcess {
  const service = spawnService(packageDir, env, { inheritEnv: true });
  const ready = new Promise<void>((resolve, reject) => {
    service.child.once("error", reject);
    service.child.once("spawn", () => resolve());
  });
  return { child: service.child, ready, exited: service.exited.then((e) => e.code), output: () => service.tail(40) };
}

/** A TCP port that was free a moment ago (for services that need one before they start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real API, chat service and worker as child processes on loopback ports,
 * against the test database and an isolated Redis namespace, from their sources as
 * `pnpm dev` runs them (the compiled start commands have process tests of their own).
 * Their logs go to files so a failing test can show what the service said.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../../../..");

export interface Services {
  apiUrl: string;
  chatUrl: string;
  logs: Record<string, string>;
  stop(): Promise<void>;
  tail(name: string, lines?: number): string;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, name: string, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${readFileSync(log, "utf8").slice(-3000)}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs} ms:\n${readFileSync(log, "utf8").slice(-3000)}`);
}

export async function startServices(options: {
  databaseUrl: string;
  redisUrl: string;
  /** Where the API sends mail (an in-process SMTP server in the tests). */
  smtpUrl: string;
  /** The admin app's address: links in mail point there. */
  appUrl: string;
  /** More settings for the API (identity providers, sign-in rules). */
  apiEnv?: Record<string, string>;
}): Promise<Services> {
  const dir = mkdtempSync(join(tmpdir(), "docent-e2e-"));
  const ns = `e2e${randomBytes(4).toString("hex")}`;
  const [apiPort, chatPort] = [await freePort(), await freePort()];
  const shared: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    DOCENT_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
    STORAGE_DRIVER: "fs",
    STORAGE_DIR: join(dir, "storage"),
    QUEUE_PREFIX: ns,
    REDIS_KEY_PREFIX: `${ns}:`,
    CHAT_REDIS_PREFIX: `${ns}:chat`,
    COOKIE_SECURE: "false",
    TRUST_PROXY: "true",
    // Website sources: the journey's site is served on 127.0.0.1, at full speed.
    ALLOW_PRIVATE_SOURCE_URLS: "true",
    CRAWL_HOST_INTERVAL_MS: "0",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
  };
  const specs = [
    {
      name: "api",
      cwd: "apps/api",
      entry: "src/server.ts",
      env: { PORT: String(apiPort), HOST: "127.0.0.1", METRICS_PORT: "0", SMTP_URL: options.smtpUrl, PUBLIC_APP_URL: options.appUrl, ...options.apiEnv },
      health: `http://127.0.0.1:${apiPort}/healthz`,
    },
    { name: "chat", cwd: "apps/chat", entry: "src/server.ts", env: { CHAT_PORT: String(chatPort), CHAT_HOST: "127.0.0.1", PORT: String(chatPort), METRICS_PORT: "0" }, health: `http://127.0.0.1:${chatPort}/healthz` },
    { name: "worker", cwd: "apps/worker", entry: "src/main.ts", env: { WORKER_CONCURRENCY: "2", PROGRESS_INTERVAL_MS: "100", WORKER_OPS_PORT: "0" }, health: null },
  ];
  const children: ChildProcess[] = [];
  const logs: Record<string, string> = {};
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
            child.once("exit", () => {
              clearTimeout(timer);
              done();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
  };
  try {
    for (const spec of specs) {
      const cwd = join(repo, spec.cwd);
      if (!existsSync(join(cwd, spec.entry))) throw new Error(`${spec.cwd}/${spec.entry} does not exist yet: the ${spec.name} service is needed for the browser tests.`);
      const log = join(dir, `${spec.name}.log`);
      logs[spec.name] = log;
      const fd = openSync(log, "a");
      const child = spawn(process.execPath, ["--import", "tsx", spec.entry], { cwd, env: { ...shared, ...spec.env }, stdio: ["ignore", fd, fd] });
      closeSync(fd);
      children.push(child);
    }
    await Promise.all(specs.map((spec, i) => (spec.health ? waitForHealth(spec.health, children[i]!, spec.name, logs[spec.name]!) : Promise.resolve())));
    // The worker has no port: it is ready when it has stayed up through start-up checks.
    await new Promise((r) => setTimeout(r, 500));
    const worker = children[2]!;
    if (worker.exitCode !== null) throw new Error(`worker exited with code ${worker.exitCode}:\n${readFileSync(logs.worker!, "utf8").slice(-3000)}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    chatUrl: `http://127.0.0.1:${chatPort}`,
    logs,
    stop,
    tail: (name, lines = 40) => (logs[name] && existsSync(logs[name]!) ? readFileSync(logs[name]!, "utf8").trim().split("\n").slice(-lines).join("\n") : ""),
  };
}

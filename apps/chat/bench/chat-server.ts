/**
 * The chat server in a child process for load benchmarks, started as it ships: the
 * package's `start` command (`node --conditions=docent-compiled dist/server.js`, the
 * workspace built by `pnpm build`), production mode, warn-level logs, no metrics
 * listener, rate limits out of the way, the offline responder. Resolves once `/readyz`
 * answers 200.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export interface BenchChatServer {
  base: string;
  /** SIGTERM, then waits (at most 20 s) for the server to finish what is in flight and exit. */
  stop(): Promise<void>;
}

export async function startChatServer(options: { databaseUrl: string; port: number; env?: Record<string, string> }): Promise<BenchChatServer> {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  if (!existsSync(join(cwd, "dist/server.js"))) throw new Error("The chat service is not built: run `pnpm build` first");
  const child = spawn(process.execPath, ["--conditions=docent-compiled", "dist/server.js"], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      HOST: "127.0.0.1",
      METRICS_PORT: "off",
      CHAT_RATE_LIMIT_PER_MINUTE: "1000000",
      LLM_BASE_URL: "",
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(20_000)]);
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the chat server exited with code ${child.exitCode}`);
    if (i > 150) {
      await stop();
      throw new Error("the chat server did not become ready in 30 s");
    }
    await sleep(200);
  }
  return { base, stop };
}

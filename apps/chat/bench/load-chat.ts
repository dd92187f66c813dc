/**
 * Load run: 50 concurrent streamed chats against the real server (src/server.ts in a
 * child process, extractive responder, offline embedder) from autocannon in this
 * process, over loopback. Records requests, errors and latency percentiles (time to the
 * end of the SSE stream) in docs/benchmarks.md.
 *
 *   pnpm --filter @docent/chat load:chat [--connections 50] [--duration 30]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createApiKey } from "@docent/db/queries/api-keys";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import autocannon from "autocannon";
import { addDocument } from "../test-support/fixtures";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase } from "./scratch-db";

const args = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "30" },
    port: { type: "string", default: "3901" },
    "no-write": { type: "boolean", default: false },
  },
}).values;

const questions = [
  "How do I reset the router?",
  "How long is the warranty?",
  "Which encryption does the router support?",
  "How many devices can connect?",
  "Where are orders shipped from?",
  "Are returns free?",
];

async function main() {
  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const scratch = await createScratchDatabase(serverUrl, "load");
  const port = Number(args.port);
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const { db } = scratch;
    await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: 10_000_000 });
    const [ws] = await db.insert(s.workspaces).values({ name: "load", slug: "load" }).returning();
    const [bot] = await db.insert(s.bots).values({ workspaceId: ws!.id, name: "Load bot", publicId: "load-bot-0001", status: "READY" }).returning();
    const embedder = createLocalEmbedder();
    const filler = Array.from({ length: 200 }, (_, i) => `Section ${i}: the device settings page lists option ${i} with its default value and a short description of what it changes.`);
    await addDocument(db, embedder, bot!, "router-manual.pdf", [
      "To reset the router, hold the recessed reset button for ten seconds until the light blinks amber.",
      "The router supports WPA3 encryption and up to 64 connected devices.",
      ...filler,
    ]);
    await addDocument(db, embedder, bot!, "policies.md", [
      "Every router carries a three-year warranty covering hardware defects.",
      "Orders ship within two business days from the Lyon warehouse. Returns are free within thirty days.",
    ]);
    const key = newApiKey();
    await createApiKey(db, { workspaceId: ws!.id, botId: null, createdBy: null, name: "load", prefix: key.prefix, keyHash: key.hash, scopes: ["chat"], expiresAt: null });

    child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        DATABASE_URL: scratch.url,
        DATABASE_POOL_MAX: "20",
        PORT: String(port),
        HOST: "127.0.0.1",
        CHAT_RATE_LIMIT_PER_MINUTE: "1000000",
        LLM_BASE_URL: "",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error("chat server did not start");
      await sleep(200);
    }
    const url = `${base}/v1/bots/${bot!.id}/chat`;
    const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
    const probe = await fetch(url, { method: "POST", headers, body: JSON.stringify({ message: questions[0], stream: true }) });
    const probeBody = await probe.text();
    if (!probe.ok || !probeBody.includes("event: done")) throw new Error(`probe failed: ${probe.status} ${probeBody.slice(0, 300)}`);

    let n = 0;
    const times: number[] = [];
    // Without a callback autocannon returns its event emitter, which is also a promise of the result.
    const instance = autocannon({
      url,
      method: "POST",
      headers,
      connections: Number(args.connections),
      duration: Number(args.duration),
      requests: [
        {
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ message: questions[n++ % questions.length], stream: true }) }),
        },
      ],
    }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    // Per-response times (ms, to the end of the body), for an exact p95.
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
    const result = await instance;
    times.sort((a, b) => a - b);
    const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
    const errors = result.errors + result.timeouts + result.non2xx;
    const lat = result.latency;
    console.log(autocannon.printResult(result));
    const section = [
      "## Chat load (50 concurrent streamed chats, extractive responder)",
      "",
      `Reproduce: \`DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent pnpm --filter @docent/chat load:chat\` (apps/chat/bench/load-chat.ts): the chat server (\`src/server.ts\`) runs in a child process; autocannon in the parent opens ${args.connections} connections over loopback for ${args.duration} s, each posting \`{ message, stream: true }\` to \`POST /v1/bots/:botId/chat\` with an API key and reading the whole SSE stream (retrieval in hybrid mode over ~200 chunks, offline embedder, extractive answer, answer + citations + analytics stored). Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, 2 cores, server and load generator on the same machine.`,
      "",
      table(
        ["connections", "requests", "errors (conn/timeouts/non-2xx)", "throughput", "latency p50", "latency p95", "latency p99", "max"],
        [[
          args.connections!,
          result.requests.total,
          `${errors} (${result.errors}/${result.timeouts}/${result.non2xx})`,
          `${result.requests.average.toFixed(1)} req/s`,
          `${p(0.5)} ms`,
          `${p(0.95)} ms`,
          `${p(0.99)} ms`,
          `${Math.round(times.at(-1) ?? 0)} ms`,
        ]],
      ),
      "",
      `Latency is per response, from sending the request to the end of the SSE stream (${times.length} responses; autocannon's own histogram gave p50 ${lat.p50} ms, p97.5 ${lat.p97_5} ms). With 50 chats in flight on 2 cores the time is mostly queueing: one chat costs about ${(1000 / result.requests.average).toFixed(0)} ms of server time at this throughput.`,
    ].join("\n");
    console.log(section);
    if (!args["no-write"]) writeSection("load:chat", section);
    if (errors > 0) process.exitCode = 1;
  } finally {
    // Let the server finish the requests autocannon abandoned at the deadline and exit
    // before its database is dropped.
    if (child && child.exitCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(20_000)]);
    }
    await scratch.drop();
  }
}

await main();

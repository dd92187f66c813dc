/**
 * Load run: 50 concurrent streamed chats against the real server (its start command in a
 * child process, extractive responder, offline embedder) from autocannon in this
 * process, over loopback; then the same while one worker process ingests a 300-page PDF
 * into another bot. Records requests, errors and latency percentiles (time to the end of
 * the SSE stream) in docs/benchmarks.md.
 *
 *   pnpm --filter @docent/chat load:chat [--connections 50] [--duration 60]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createApiKey } from "@docent/db/queries/api-keys";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings/local";
import { writeLargePdf } from "@docent/ingest/testing/large-pdf";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { createFsStorage } from "@docent/storage/fs";
import autocannon from "autocannon";
import { addDocument } from "../test-support/fixtures";
import { type BenchChatServer, startChatServer } from "./chat-server";
import { spawnWorker } from "./ingest-through-worker";
import { machine, table, writeSection } from "./report";
import { queueDocument } from "./queue-document";
import { createScratchDatabase } from "./scratch-db";

const args = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "60" },
    port: { type: "string", default: "3901" },
    "no-write": { type: "boolean", default: false },
  },
}).values;

const PDF_PAGES = 300;
/** writeLargePdf's pages come to about this many bytes each. */
const PDF_BYTES_PER_PAGE = 5_070;

const percentile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
};

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
  let server: BenchChatServer | undefined;
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

    server = await startChatServer({ databaseUrl: scratch.url, port, env: { DATABASE_POOL_MAX: "20" } });
    const { base } = server;
    const url = `${base}/v1/bots/${bot!.id}/chat`;
    const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
    const probe = await fetch(url, { method: "POST", headers, body: JSON.stringify({ message: questions[0], stream: true }) });
    const probeBody = await probe.text();
    if (!probe.ok || !probeBody.includes("event: done")) throw new Error(`probe failed: ${probe.status} ${probeBody.slice(0, 300)}`);

    const load = async (label: string, during?: () => { from: number; to: number } | null) => {
      let n = 0;
      const times: number[] = [];
      /** Responses that ended while the ingestion ran (see `during`). */
      const busy: number[] = [];
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
      instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        times.push(responseTime);
        const window = during?.();
        const now = performance.now();
        if (window && now >= window.from && now <= window.to) busy.push(responseTime);
      });
      const result = await instance;
      console.log(autocannon.printResult(result));
      const errors = result.errors + result.timeouts + result.non2xx;
      const row = [
        label,
        args.connections!,
        result.requests.total,
        `${errors} (${result.errors}/${result.timeouts}/${result.non2xx})`,
        `${result.requests.average.toFixed(1)} req/s`,
        `${percentile(times, 0.5)} ms`,
        `${percentile(times, 0.95)} ms`,
        `${percentile(times, 0.99)} ms`,
        `${Math.round(Math.max(...times))} ms`,
      ];
      return { row, errors, average: result.requests.average, times, busy };
    };

    const quiet = await load("chat only");

    // The same load while one worker (its shipped start command) ingests a 300-page PDF
    // into another bot of the workspace: what ingestion costs chat on the same machine.
    const ingestBot = (await db.insert(s.bots).values({ workspaceId: ws!.id, name: "Manuals", publicId: "load-bot-0002", status: "READY" }).returning())[0]!;
    const storageDir = mkdtempSync(join(tmpdir(), "docent-load-storage-"));
    const prefix = `docent-load-${randomBytes(4).toString("hex")}`;
    const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    const queueRedis = createRedis(redisUrl, "worker");
    const queue = createIngestQueue({ connection: queueRedis, prefix });
    const storage = createFsStorage(storageDir);
    const pdfPath = join(storageDir, "manual.pdf");
    const pdf = writeLargePdf(pdfPath, { targetBytes: PDF_PAGES * PDF_BYTES_PER_PAGE });
    const worker = spawnWorker({ NODE_ENV: "production", LOG_LEVEL: "warn", DATABASE_URL: scratch.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, STORAGE_DIR: storageDir, EMBEDDING_PROVIDER: "local" });
    let ingest: { from: number; to: number } | null = null;
    let ingestSeconds = 0;
    let pdfChunks = 0;
    try {
      await worker.ready;
      await sleep(3_000); // the worker's start-up is not part of the ingestion
      const busyLoad = load(`chat while one worker ingests a ${pdf.pages}-page PDF`, () => ingest);
      await sleep(5_000);
      const bytes = readFileSync(pdfPath);
      const documentId = await queueDocument(
        { db, storage, queue },
        { botId: ingestBot.id, name: "manual.pdf", bytes, sourceType: "FILE_UPLOAD", mimeType: "application/pdf" },
      );
      const from = performance.now();
      ingest = { from, to: Number.POSITIVE_INFINITY };
      for (;;) {
        const [row] = await scratch.sql<{ status: string; chunks: number; error: string | null }[]>`
          select status, chunk_count as chunks, error_message as error from bot_documents where id = ${documentId}`;
        if (row!.status === "FAILED") throw new Error(`the PDF failed: ${row!.error}`);
        if (row!.status === "PROCESSED") {
          pdfChunks = row!.chunks;
          break;
        }
        if (performance.now() - from > Number(args.duration) * 1000) throw new Error("the PDF was not processed within the load window");
        await sleep(100);
      }
      ingest = { from, to: performance.now() };
      ingestSeconds = (ingest.to - from) / 1000;
      const busy = await busyLoad;

      const errors = quiet.errors + busy.errors;
      const section = [
        `## Chat load (${args.connections} concurrent streamed chats, extractive responder)`,
        "",
        `Reproduce: \`pnpm build && DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent pnpm --filter @docent/chat load:chat\` (apps/chat/bench/load-chat.ts): the chat server (its start command, \`node --conditions=docent-compiled dist/server.js\`) runs in a child process; autocannon in the parent opens ${args.connections} connections over loopback for ${args.duration} s, each posting \`{ message, stream: true }\` to \`POST /v1/bots/:botId/chat\` with an API key and reading the whole SSE stream (retrieval in hybrid mode over ~200 chunks, offline embedder, extractive answer, answer + citations + analytics stored). The second run repeats it while one worker, started with its shipped command, ingests a ${pdf.pages}-page text PDF (${(pdf.bytes / 1048576).toFixed(1)} MB, ${pdfChunks} chunks) into another bot of the same workspace, uploaded 5 s into the run. Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, 2 cores, server, worker, PostgreSQL and load generator on the same machine.`,
        "",
        table(
          ["run", "connections", "requests", "errors (conn/timeouts/non-2xx)", "throughput", "latency p50", "latency p95", "latency p99", "max"],
          [quiet.row, busy.row],
        ),
        "",
        `Latency is per response, from sending the request to the end of the SSE stream. The PDF took ${ingestSeconds.toFixed(1)} s from upload to PROCESSED; the ${busy.busy.length} responses that ended in that window had p50 ${percentile(busy.busy, 0.5)} ms and p95 ${percentile(busy.busy, 0.95)} ms (chat only: p50 ${percentile(quiet.times, 0.5)} ms, p95 ${percentile(quiet.times, 0.95)} ms). With ${args.connections} chats in flight on 2 cores the time is mostly queueing: one chat costs about ${(1000 / quiet.average).toFixed(0)} ms of server time at the chat-only throughput.`,
      ].join("\n");
      console.log(section);
      if (!args["no-write"]) writeSection("load:chat", section);
      if (errors > 0) process.exitCode = 1;
    } finally {
      if (worker.child.exitCode === null) {
        worker.child.kill("SIGTERM");
        await worker.exited;
      }
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      queueRedis.disconnect();
      rmSync(storageDir, { recursive: true, force: true });
    }
  } finally {
    // Let the server finish the requests autocannon abandoned at the deadline and exit
    // before its database is dropped.
    await server?.stop();
    await scratch.drop();
  }
}

await main();

/**
 * The search API over HTTP at scale: one bot holding N chunks (100,000 by default) of real
 * English, the chat service (started as it ships, after `pnpm build`) in a child process with its default settings
 * (offline embedder), and one keep-alive client posting `POST /v1/bots/:botId/retrieve`
 * (topK 10) with questions of 13-17 words, one mode at a time. Records client-side
 * p50/p95 per mode, the server's own `timingsMs` (embedding, each leg, total inside
 * retrieve()), and an authenticated no-op for the cost of HTTP + auth alone.
 *
 * Chunk text: SQuAD v1.1 dev paragraphs (../shared/datasets) cut into sentences and
 * re-chunked into 60-120-word windows starting at random sentences, so term statistics
 * are those of English prose (stop words, a long tail); questions are SQuAD's own.
 *
 *   pnpm --filter @docent/chat bench:retrieve-http [--chunks 100000] [--queries 200] [--no-write] [--keep] [--cold]
 *   pnpm --filter @docent/chat bench:retrieve-http --reuse postgres://.../docent_http_abc123 --no-write
 *
 * Before measuring, every question is searched once in keyword mode (unmeasured) so its
 * terms are packed, as on a bot searched before; `--cold` empties the bot's packs instead
 * and measures first searches.
 *
 * `--keep` leaves the loaded database in place (its URL is printed) and `--reuse URL`
 * measures against such a database without loading again, for trying changes quickly.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { defaultRagConfig } from "@docent/contracts/json";
import { createDb, type DbHandle } from "@docent/db/client";
import { runMigrations } from "@docent/db/migrate";
import { createApiKey } from "@docent/db/queries/api-keys";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings/local";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { type BenchChatServer, startChatServer } from "./chat-server";
import { mulberry32 } from "./random";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase, dropPostingsKey } from "./scratch-db";
import { defaultSquadPath, type Squad } from "./squad";

const args = parseArgs({
  options: {
    chunks: { type: "string", default: "100000" },
    queries: { type: "string", default: "200" },
    port: { type: "string", default: "3902" },
    dataset: { type: "string", default: defaultSquadPath },
    "no-write": { type: "boolean", default: false },
    cold: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
}).values;

const N = Number(args.chunks);
const Q = Number(args.queries);
const WARMUP = 20;
const modes = ["vector", "keyword", "hybrid"] as const;

const rand = mulberry32(0x2545f491);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const esc = (t: string) => t.replace(/\\/g, "\\\\").replace(/\t/g, " ").replace(/\n/g, " ");
const words = (t: string) => t.trim().split(/\s+/).length;

function corpus(path: string) {
  const squad = JSON.parse(readFileSync(path, "utf8")) as Squad;
  const sentences: string[] = [];
  const questions: string[] = [];
  for (const article of squad.data) {
    for (const p of article.paragraphs) {
      sentences.push(...p.context.split(/(?<=[.!?])\s+/).filter((x) => x.length > 0));
      for (const qa of p.qas) if (words(qa.question) >= 13 && words(qa.question) <= 17) questions.push(qa.question);
    }
  }
  return { sentences, questions };
}

/** A chunk: consecutive sentences from a random start, 60-120 words. */
function chunkText(sentences: string[]) {
  const target = 60 + Math.floor(rand() * 60);
  let i = Math.floor(rand() * sentences.length);
  const out: string[] = [];
  let n = 0;
  while (n < target) {
    const sentence = sentences[i++ % sentences.length]!;
    out.push(sentence);
    n += words(sentence);
  }
  return out.join(" ");
}

interface ModeResult {
  mode: string;
  p50: number;
  p95: number;
  server: { embed: number; vector: number; keyword: number; total: number };
  serverTotalP95: number;
  chunks: number;
}

async function main() {
  const t0 = performance.now();
  const { questions: pool } = corpus(args.dataset!);
  // An even spread of the 13-17-word questions.
  const questions = Array.from({ length: Q + WARMUP }, (_, i) => pool[Math.floor((i * pool.length) / (Q + WARMUP))]!);
  const meanWords = questions.reduce((sum, q) => sum + words(q), 0) / questions.length;

  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const scratch = args.reuse ? await reuseDatabase(args.reuse) : await createScratchDatabase(serverUrl, "http");
  let server: BenchChatServer | undefined;
  try {
    const { db } = scratch;
    const loaded = args.reuse ? await findLoaded(scratch) : await load(scratch);
    const key = newApiKey();
    await createApiKey(db, { workspaceId: loaded.workspaceId, botId: null, createdBy: null, name: "bench", prefix: key.prefix, keyHash: key.hash, scopes: ["chat"], expiresAt: null });
    const { botId, loadS, indexS, recurrence } = loaded;

    server = await startChatServer({ databaseUrl: scratch.url, port: Number(args.port), env: { EVAL_WORKER_CONCURRENCY: "0" } });
    const { base } = server;
    const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
    const url = `${base}/v1/bots/${botId}/retrieve`;

    async function timed(body: object) {
      const start = performance.now();
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
      const json = (await response.json()) as { chunks: unknown[]; timingsMs: ModeResult["server"] };
      const took = performance.now() - start;
      if (!response.ok) throw new Error(`retrieve answered ${response.status}: ${JSON.stringify(json)}`);
      return { took, json };
    }

    // HTTP + API-key auth + bot lookup alone: the same route with a body it refuses.
    const baseline: number[] = [];
    for (let i = 0; i < Q; i++) {
      const start = performance.now();
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: "" }) });
      await response.arrayBuffer();
      if (response.status !== 400) throw new Error(`baseline answered ${response.status}`);
      baseline.push(performance.now() - start);
    }

    // Steady state: every question's terms packed (a search packs the terms it read from
    // the postings index, after answering), as on a bot that has been searched before.
    // `--cold` measures first searches instead.
    const packs = async () =>
      (await scratch.sql<{ n: number }[]>`select count(*)::int as n from bot_term_packs where bot_id = ${botId}`)[0]!.n;
    if (args.cold) {
      await scratch.sql`delete from bot_term_packs where bot_id = ${botId}`;
    } else {
      for (const query of questions) await timed({ query, mode: "keyword", topK: 10 });
      // The service packs after answering: wait until the count stops moving.
      for (let before = -1, now = await packs(); now !== before; before = now, now = await packs()) await sleep(500);
    }
    const packedTerms = await packs();

    const results: ModeResult[] = [];
    for (const mode of modes) {
      for (const query of questions.slice(0, WARMUP)) await timed({ query, mode, topK: 10 });
      const took: number[] = [];
      const server: ModeResult["server"][] = [];
      let chunks = 0;
      for (const query of questions.slice(WARMUP)) {
        const r = await timed({ query, mode, topK: 10 });
        took.push(r.took);
        server.push(r.json.timingsMs);
        chunks += r.json.chunks.length;
      }
      const mean = (f: (t: ModeResult["server"]) => number) => server.reduce((sum, t) => sum + f(t), 0) / server.length;
      results.push({
        mode,
        p50: pct(took, 50),
        p95: pct(took, 95),
        server: { embed: mean((t) => t.embed), vector: mean((t) => t.vector), keyword: mean((t) => t.keyword), total: mean((t) => t.total) },
        serverTotalP95: pct(server.map((t) => t.total), 95),
        chunks: chunks / Q,
      });
      console.log(JSON.stringify(results.at(-1)));
    }

    const section = [
      "## The search API over HTTP (one client, 13-17-word questions)",
      "",
      `Reproduce: \`pnpm build && DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent pnpm --filter @docent/chat bench:retrieve-http\` (apps/chat/bench/retrieve-http.ts; about ${Math.ceil((performance.now() - t0) / 60_000)} minutes). One bot holding ${N.toLocaleString("en-US")} chunks: SQuAD v1.1 dev paragraphs re-chunked into 60-120-word windows of English prose (each sentence recurs in about ${recurrence.toFixed(0)} chunks, which raises rare words' document frequencies above a real corpus's), embedded by the offline embedder, loaded with COPY, indexes rebuilt as migrated (${Number.isNaN(loadS) ? "loaded by an earlier run and kept with --keep" : `load ${loadS.toFixed(0)} s, indexes ${indexS.toFixed(0)} s`}). The chat service, started with its package's start command (\`node --conditions=docent-compiled dist/server.js\`, default settings), runs in a child process; one keep-alive client posts \`POST /v1/bots/:botId/retrieve\` (topK 10) with ${Q} SQuAD questions of 13-17 words (mean ${meanWords.toFixed(1)}) per mode after ${WARMUP} warm-up requests. Every call is metered (usage counter) and logged for analytics, as in production. ${args.cold ? "Cold: the bot's packs were emptied first, so the keyword mode's searches read their terms from the postings index and pack them after answering; the hybrid mode, measured next, finds most of them packed." : `Steady state: every question was searched once in keyword mode beforehand, unmeasured, so their terms are packed (${packedTerms.toLocaleString("en-US")} packed terms); \`--cold\` measures first searches.`} Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}, 2 cores shared with other work.`,
      "",
      table(
        ["mode", "HTTP p50", "HTTP p95", "server retrieve() p95", "mean embed", "mean vector leg", "mean keyword leg", "mean retrieve()", "chunks returned"],
        [
          ...results.map((r) => [
            r.mode,
            ms(r.p50),
            ms(r.p95),
            ms(r.serverTotalP95),
            ms(r.server.embed),
            ms(r.server.vector),
            ms(r.server.keyword),
            ms(r.server.total),
            r.chunks.toFixed(1),
          ]),
          ["(refused body: HTTP, key and bot lookup only)", ms(pct(baseline, 50)), ms(pct(baseline, 95)), "", "", "", "", "", ""],
        ],
      ),
      "",
      "Targets (issue #18, 100,000 chunks, one client, 15-word questions): vector p95 <= 15 ms, keyword p95 <= 25 ms, hybrid p95 <= 40 ms.",
    ].join("\n");
    console.log(section);
    if (!args["no-write"]) writeSection("bench:retrieve-http", section);
  } finally {
    await server?.stop();
    if (args.keep || args.reuse) {
      console.log(`kept the loaded database: --reuse ${scratch.url}`);
      await scratch.close();
    } else {
      await scratch.drop();
    }
  }
}

type Scratch = DbHandle & { url: string };

/** A database kept by an earlier run, brought up to this code's migrations. */
async function reuseDatabase(url: string): Promise<Scratch & { drop(): Promise<void> }> {
  await runMigrations(url);
  const handle = createDb({ url, max: 8, applicationName: "docent-http" });
  return { ...handle, url, drop: handle.close };
}

interface Loaded {
  workspaceId: string;
  botId: string;
  loadS: number;
  indexS: number;
  recurrence: number;
}

/** A database kept by an earlier run (--keep): its bot, and the load figures it had. */
async function findLoaded(scratch: Scratch): Promise<Loaded> {
  const [bot] = await scratch.db.select().from(s.bots).where(eq(s.bots.publicId, "http-bench-bot"));
  if (!bot) throw new Error(`${scratch.url} holds no benchmark bot; load one with --keep first`);
  // The loading run left its figures in the bot's description.
  const figures = JSON.parse(bot.description ?? "{}") as Partial<Pick<Loaded, "loadS" | "indexS" | "recurrence">>;
  return {
    workspaceId: bot.workspaceId,
    botId: bot.id,
    loadS: figures.loadS ?? Number.NaN,
    indexS: figures.indexS ?? Number.NaN,
    recurrence: figures.recurrence ?? Number.NaN,
  };
}

/** Bulk load as an operator would: indexes dropped, COPY, indexes rebuilt as migrated. */
async function load(scratch: Scratch): Promise<Loaded> {
  const { sentences } = corpus(args.dataset!);
  const { db } = scratch;
  await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: null, maxRetrievalsPerMonth: null });
  const [ws] = await db.insert(s.workspaces).values({ name: "http bench", slug: "http-bench" }).returning();
  const [bot] = await db
    .insert(s.bots)
    .values({ workspaceId: ws!.id, name: "Search bench", publicId: "http-bench-bot", status: "READY", ragConfig: { ...defaultRagConfig, topK: 10 } })
    .returning();
  const [doc] = await db.insert(s.botDocuments).values({ botId: bot!.id, name: "squad-rechunked.txt", status: "PROCESSED" }).returning();
  const [hnsw] = await scratch.sql<{ def: string }[]>`select pg_get_indexdef('bot_document_chunks_embedding_hnsw'::regclass) as def`;
  await scratch.sql`drop index bot_document_chunks_embedding_hnsw`;
  const restorePostingsKey = await dropPostingsKey(scratch.sql);
  const embedder = createLocalEmbedder();
  const loadStart = performance.now();
  let chunkWords = 0;
  async function* rows() {
    for (let start = 0; start < N; start += 1000) {
      const texts = Array.from({ length: Math.min(1000, N - start) }, () => chunkText(sentences));
      for (const t of texts) chunkWords += words(t);
      const vectors = await embedder.embed(texts);
      let out = "";
      texts.forEach((content, j) => {
        out += `${randomUUID()}\t${bot!.id}\t${doc!.id}\t${start + j}\t${esc(content)}\t${"0".repeat(64)}\t${Math.round(content.length / 4)}\t{"charStart":0,"charEnd":${content.length}}\t[${vectors[j]!.join(",")}]\t${embedder.id}\tenglish\n`;
      });
      yield out;
      if ((start / 1000) % 20 === 19) console.log(`  copied ${start + 1000}/${N}`);
    }
  }
  const copy = await scratch.sql`copy bot_document_chunks (id, bot_id, document_id, chunk_index, content, content_hash, token_count, metadata, embedding, embedding_model, text_search_config) from stdin`.writable();
  await pipeline(Readable.from(rows()), copy);
  const loadS = (performance.now() - loadStart) / 1000;
  // How often each SQuAD sentence recurs across the chunks (the corpus is small).
  const recurrence = chunkWords / sentences.reduce((sum, x) => sum + words(x), 0);
  const indexStart = performance.now();
  await scratch.sql.unsafe("set maintenance_work_mem = '1GB'");
  await scratch.sql.unsafe("set max_parallel_maintenance_workers = 2");
  await scratch.sql.unsafe(hnsw!.def);
  await restorePostingsKey();
  await scratch.sql`vacuum analyze bot_document_chunks`;
  const indexS = (performance.now() - indexStart) / 1000;
  console.log(`loaded ${N} chunks in ${loadS.toFixed(0)} s, indexes in ${indexS.toFixed(0)} s`);
  await db.update(s.bots).set({ description: JSON.stringify({ loadS, indexS, recurrence }) }).where(eq(s.bots.id, bot!.id));
  return { workspaceId: ws!.id, botId: bot!.id, loadS, indexS, recurrence };
}

await main();

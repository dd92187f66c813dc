/**
 * Metadata filters at scale: one bot of 2,000 documents x 25 chunks (50,000 chunks, 768
 * dims, HNSW as the migrations define it), each document with metadata; filters from
 * every document down to 0.1% of them. For each filter and mode (vector, keyword, hybrid)
 * through `retrieve()` as a bot runs it: p50/p95 latency, the vector path the service
 * chose, whether every answer held exactly min(k, matching chunks) chunks and only
 * matching ones, and the vector recall@10 against an exact scan of the matching chunks.
 *
 *   pnpm bench:filters                      # about 3 minutes on 2 cores
 *   pnpm bench:filters --documents 4000     # 100,000 chunks
 *
 * Writes docs/benchmarks.md's `bench:filters` section.
 */
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { defaultRagConfig, retrievalModes } from "@docent/contracts/json";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { searchChunksByKeyword } from "@docent/db/queries/bm25";
import { searchChunksByVector } from "@docent/db/queries/retrieval";
import * as s from "@docent/db/schema";
import { sql } from "drizzle-orm";
import { metadataFilterSql } from "@docent/db/queries/metadata-filter";
import { createRetrievalService } from "../src/retrieval/service";
import { mulberry32 } from "./random";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase } from "./scratch-db";

const args = parseArgs({
  options: {
    documents: { type: "string", default: "2000" },
    queries: { type: "string", default: "40" },
    "no-write": { type: "boolean", default: false },
  },
}).values;

const DOCS = Number(args.documents);
const PER_DOC = 25;
const Q = Number(args.queries);
const DIM = 768;
const K = 10;

const rand = mulberry32(0x5eed);
const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
const normalize = (v: Float32Array) => {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
};
const unit = () => normalize(Float32Array.from({ length: DIM }, gauss));
// Embedding-like: a shared direction, 100 topics, noise.
const shared = unit();
const topics = Array.from({ length: 100 }, unit);
const sample = () => {
  const topic = topics[Math.floor(rand() * topics.length)]!;
  return normalize(Float32Array.from({ length: DIM }, (_, i) => 0.4 * shared[i]! + 0.6 * topic[i]! + (0.7 * gauss()) / Math.sqrt(DIM)));
};
const vocab = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}x`);
const word = () => vocab[Math.min(vocab.length - 1, Math.floor(vocab.length * rand() ** 3))]!;
const text = (n: number) => Array.from({ length: n }, word).join(" ");
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Document i's metadata: `bucket` 0-999 (numbers), `tier` a string list, `updated_at` an ISO date. */
const metadataOf = (i: number) => ({
  bucket: i % 1000,
  tier: i % 20 === 0 ? ["gold", "all"] : ["all"],
  updated_at: new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10),
});

const filters: { name: string; filter?: MetadataFilter; matches(i: number): boolean }[] = [
  { name: "no filter", matches: () => true },
  { name: "50% (range on a number)", filter: { range: { key: "bucket", lt: 500 } }, matches: (i) => i % 1000 < 500 },
  { name: "5% (eq on a string list)", filter: { eq: { key: "tier", value: "gold" } }, matches: (i) => i % 20 === 0 },
  {
    name: "1% (in, 10 values)",
    filter: { in: { key: "bucket", values: Array.from({ length: 10 }, (_, v) => v * 100) } },
    matches: (i) => (i % 1000) % 100 === 0,
  },
  {
    name: "0.1% (and: eq + date range)",
    filter: { and: [{ eq: { key: "bucket", value: 7 } }, { range: { key: "updated_at", gte: "2026-01-01" } }] },
    matches: (i) => i % 1000 === 7,
  },
];

async function main() {
  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const scratch = await createScratchDatabase(serverUrl, "filters");
  const { db } = scratch;
  try {
    const [ws] = await db.insert(s.workspaces).values({ name: "bench", slug: "bench" }).returning();
    const [bot] = await db.insert(s.bots).values({ workspaceId: ws!.id, name: "b", publicId: "bench-filters", status: "READY", language: "simple" }).returning();
    const docs: { id: string; i: number }[] = [];
    for (let from = 0; from < DOCS; from += 500) {
      const rows = await db
        .insert(s.botDocuments)
        .values(Array.from({ length: Math.min(500, DOCS - from) }, (_, j) => ({ botId: bot!.id, name: `d${from + j}`, status: "PROCESSED" as const, chunkCount: PER_DOC, metadata: metadataOf(from + j) })))
        .returning({ id: s.botDocuments.id });
      rows.forEach((r, j) => docs.push({ id: r.id, i: from + j }));
    }
    const [hnsw] = await scratch.sql<{ def: string }[]>`select pg_get_indexdef('bot_document_chunks_embedding_hnsw'::regclass) as def`;
    await scratch.sql`drop index if exists bot_document_chunks_embedding_hnsw`;
    const loadStart = performance.now();
    async function* rows() {
      for (const d of docs) {
        for (let c = 0; c < PER_DOC; c++) {
          const content = text(40 + Math.floor(rand() * 40));
          const v = Array.from(sample(), (x) => x.toFixed(5)).join(",");
          yield `${randomUUID()}\t${bot!.id}\t${d.id}\t${c}\t${content}\t${"0".repeat(64)}\t${Math.round(content.length / 4)}\t{"charStart":0,"charEnd":${content.length}}\t[${v}]\tbench:synthetic\tsimple\n`;
        }
      }
    }
    const copy = await scratch.sql`copy bot_document_chunks (id, bot_id, document_id, chunk_index, content, content_hash, token_count, metadata, embedding, embedding_model, text_search_config) from stdin`.writable();
    await pipeline(Readable.from(rows()), copy);
    await scratch.sql.unsafe("set maintenance_work_mem = '1GB'");
    await scratch.sql.unsafe(hnsw!.def);
    await scratch.sql`vacuum analyze`;
    const loadSeconds = (performance.now() - loadStart) / 1000;
    console.log(`loaded ${DOCS * PER_DOC} chunks and built HNSW in ${loadSeconds.toFixed(0)} s`);

    const chunkDoc = new Map<string, number>();
    for (const r of await scratch.sql<{ id: string; i: number }[]>`select c.id, substr(d.name, 2)::int as i from bot_document_chunks c join bot_documents d on d.id = c.document_id`) {
      chunkDoc.set(r.id, r.i);
    }
    const vectors = Array.from({ length: Q }, () => Array.from(sample()));
    const questions = Array.from({ length: Q }, (_, i) => `q${i} ${word()} ${word()} ${vocab[200 + Math.floor(rand() * 3000)]} ${vocab[200 + Math.floor(rand() * 3000)]}`);
    const byText = new Map(questions.map((t, i) => [t, vectors[i]!]));
    const embedder = { id: "bench:synthetic", dimensions: DIM, embed: async (texts: string[]) => texts.map((t) => byText.get(t)!) };
    const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
    const ragBot = { ...bot!, ragConfig: { ...defaultRagConfig, topK: K } };

    // Keyword ground truth: every chunk holding a query word, scored exhaustively, once per question.
    const exhaustive: string[][] = [];
    for (let q = 0; q < Q; q++) {
      const all = await searchChunksByKeyword(db, { botId: bot!.id, query: questions[q]!, textSearchConfig: "simple", limit: 1_000_000, accumulatePostings: Number.MAX_SAFE_INTEGER });
      exhaustive.push(all.map((h) => h.id));
    }

    const rowsOut: (string | number)[][] = [];
    for (const f of filters) {
      const matchingChunks = docs.filter((d) => f.matches(d.i)).length * PER_DOC;
      const want = Math.min(K, matchingChunks);
      let documentsMs = 0;
      if (f.filter) {
        const t = performance.now();
        await db.execute(sql`select count(*) from bot_documents where bot_id = ${bot!.id} and ${metadataFilterSql(f.filter)}`);
        documentsMs = performance.now() - t;
      }
      // Ground truth for recall: the exact scan under the same filter.
      const truth: Set<string>[] = [];
      for (let q = 0; q < Q; q++) {
        const exact = await searchChunksByVector(db, { botId: bot!.id, embedding: vectors[q]!, limit: K, exact: true, ...(f.filter ? { filter: f.filter } : {}) });
        truth.push(new Set(exact.map((h) => h.id)));
      }
      for (const mode of retrievalModes) {
        const times: number[] = [];
        const paths = new Set<string>();
        let exactK = 0;
        let strays = 0;
        let hits = 0;
        for (let q = 0; q < Q; q++) {
          const t = performance.now();
          const r = await retrieval.retrieve({ bot: ragBot, query: questions[q]!, mode, topK: K, ...(f.filter ? { filter: f.filter } : {}) });
          times.push(performance.now() - t);
          if (r.exactScan !== null) paths.add(r.exactScan ? "exact" : "HNSW");
          const complete =
            mode === "keyword"
              ? JSON.stringify(r.chunks.map((c) => c.chunkId)) === JSON.stringify(exhaustive[q]!.filter((id) => f.matches(chunkDoc.get(id)!)).slice(0, K))
              : r.chunks.length === want;
          if (complete) exactK++;
          strays += r.chunks.filter((c) => !f.matches(chunkDoc.get(c.chunkId)!)).length;
          if (mode === "vector") hits += r.chunks.filter((c) => truth[q]!.has(c.chunkId)).length;
        }
        rowsOut.push([
          f.name,
          matchingChunks.toLocaleString("en"),
          mode,
          [...paths].join(" + ") || "-",
          `${ms(pct(times, 50))} / ${ms(pct(times, 95))}`,
          `${exactK}/${Q}`,
          strays,
          mode === "vector" ? (hits / (Q * want)).toFixed(3) : "-",
          f.filter ? ms(documentsMs) : "-",
        ]);
        console.log(rowsOut.at(-1)!.join(" | "));
      }
    }

    const body = [
      "## Metadata filters (one bot, HNSW, 768 dims)",
      "",
      `Reproduce: \`pnpm bench:filters\` (run ${new Date().toISOString().slice(0, 10)}, ${machine()}; ${DOCS.toLocaleString("en")} documents x ${PER_DOC} chunks = ${(DOCS * PER_DOC).toLocaleString("en")} chunks in one bot, ${Q} queries per row, top ${K}, load and HNSW build ${loadSeconds.toFixed(0)} s). Synthetic embedding-like vectors (100 topics), Zipf-like chunk text; each document has \`bucket\` (0-999), \`tier\` (a string list, \`gold\` on 5%) and \`updated_at\` (an ISO date). \`retrieve()\` as a bot runs it, with the filter applied inside both legs' SQL (\`chunk in (matching documents of this bot)\`). "complete" counts answers holding min(${K}, matching chunks) chunks (vector, hybrid) or exactly the exhaustive BM25 top ${K} of the matching chunks that hold a query word (keyword); "strays" counts returned chunks whose document does not match (must be 0); recall@10 is the vector leg's against an exact scan under the same filter; "documents" is the time of the filter alone over the bot's documents (GIN \`jsonb_path_ops\` serves eq/in). Single client, warm cache, a machine shared with other jobs.`,
      "",
      table(["filter", "matching chunks", "mode", "vector path", "p50 / p95", "complete", "strays", "vector recall@10", "documents"], rowsOut),
    ].join("\n");
    console.log(body);
    if (!args["no-write"]) writeSection("bench:filters", body);
  } finally {
    await scratch.drop();
  }
}

await main();

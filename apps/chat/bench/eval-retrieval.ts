/**
 * Retrieval quality on SQuAD v1.1 dev (48 articles, 2,067 paragraphs, 10,570 questions)
 * with the offline embedder: recall@1/5/10, MRR and nDCG@10 for vector, keyword (BM25)
 * and hybrid (weighted RRF), and the fusion weights that make hybrid at least as good as
 * the better leg on every metric.
 *
 * Ingestion goes through the real pipeline (ingest-through-worker.ts): one document per
 * article, added as text through the documents service, queued on BullMQ and processed by
 * a worker process started with its shipped command (extraction, token-aware chunking with
 * the bot's new-bot default rag config, local embedder, binary COPY in one transaction).
 * A chunk is relevant to a question when it contains the whole sentence holding the
 * question's answer.
 *
 *   pnpm eval:retrieval [--articles N] [--limit N] [--concurrency 4] [--no-write]
 *
 * `--articles N` (first N articles) and `--limit N` (first N judged questions) are for
 * quick iterations: such subset runs never rewrite docs/benchmarks.md.
 * Needs DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultRagConfig } from "@docent/contracts/json";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { eq, sql } from "drizzle-orm";
import { fuseReciprocalRank } from "../src/retrieval/fusion";
import { createRetrievalService } from "../src/retrieval/service";
import { ingestThroughWorker } from "./ingest-through-worker";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase } from "./scratch-db";
import { defaultSquadPath, pool, type Squad } from "./squad";

const args = parseArgs({
  options: {
    /** Only the first N articles (a subset run). */
    articles: { type: "string" },
    /** Only the first N judged questions (a subset run). */
    limit: { type: "string" },
    concurrency: { type: "string", default: "4" },
    "no-write": { type: "boolean", default: false },
    /** Keep the scratch database (its name is printed) for EXPLAIN sessions. */
    keep: { type: "boolean", default: false },
    dataset: { type: "string", default: defaultSquadPath },
  },
}).values;

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

const norm = (t: string) => t.replace(/\s+/g, " ").trim();
const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
function sentenceAt(text: string, offset: number): string {
  for (const seg of segmenter.segment(text)) {
    if (offset >= seg.index && offset < seg.index + seg.segment.length) return norm(seg.segment);
  }
  return norm(text);
}

type Metrics = { r1: number; r5: number; r10: number; mrr: number; ndcg10: number };

function score(ranked: string[][], relevant: Set<string>[]): Metrics {
  const m = { r1: 0, r5: 0, r10: 0, mrr: 0, ndcg10: 0 };
  ranked.forEach((list, q) => {
    const rel = relevant[q]!;
    // Every metric is cut at 10 (MRR@10), so legs fetched deeper compare fairly with hybrid's top 10.
    const first = list.slice(0, 10).findIndex((id) => rel.has(id));
    if (first === 0) m.r1++;
    if (first >= 0 && first < 5) m.r5++;
    if (first >= 0 && first < 10) m.r10++;
    if (first >= 0) m.mrr += 1 / (first + 1);
    let dcg = 0;
    list.slice(0, 10).forEach((id, i) => {
      if (rel.has(id)) dcg += 1 / Math.log2(i + 2);
    });
    let idcg = 0;
    for (let i = 0; i < Math.min(rel.size, 10); i++) idcg += 1 / Math.log2(i + 2);
    m.ndcg10 += idcg > 0 ? dcg / idcg : 0;
  });
  const n = ranked.length;
  return { r1: m.r1 / n, r5: m.r5 / n, r10: m.r10 / n, mrr: m.mrr / n, ndcg10: m.ndcg10 / n };
}

const f = (x: number) => x.toFixed(3);
const atLeast = (a: Metrics, b: Metrics) =>
  a.r1 >= b.r1 && a.r5 >= b.r5 && a.r10 >= b.r10 && a.mrr >= b.mrr && a.ndcg10 >= b.ndcg10;

async function main() {
  const started = performance.now();
  const squad = JSON.parse(readFileSync(args.dataset!, "utf8")) as Squad;
  const datasetArticles = squad.data.length;
  if (args.articles) squad.data = squad.data.slice(0, positiveInt("--articles", args.articles));
  const questionLimit = args.limit ? positiveInt("--limit", args.limit) : undefined;
  const subset = squad.data.length < datasetArticles || questionLimit !== undefined;
  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const scratch = await createScratchDatabase(serverUrl, "eval");
  const { db } = scratch;
  try {
    const [workspace] = await db.insert(s.workspaces).values({ name: "SQuAD eval", slug: "squad-eval" }).returning();
    const [bot] = await db
      .insert(s.bots)
      // The new-bot default rag config (chunk size and overlap are what the worker uses).
      .values({ workspaceId: workspace!.id, name: "SQuAD", publicId: "squad-eval-bot", status: "READY", ragConfig: defaultRagConfig })
      .returning();
    const embedder = createLocalEmbedder();

    // Ingest through the real pipeline: documents service -> storage -> queue -> worker.
    const ingestStart = performance.now();
    const ingest = await ingestThroughWorker({
      db,
      databaseUrl: scratch.url,
      redisUrl,
      botId: bot!.id,
      documents: squad.data.map((article) => ({
        name: article.title,
        text: article.paragraphs.map((p) => p.context).join("\n\n"),
      })),
    });
    await db.execute(sql`analyze bot_document_chunks`);
    const ingestMs = performance.now() - ingestStart;
    const stored = await db
      .select({ id: s.botDocumentChunks.id, documentId: s.botDocumentChunks.documentId, content: s.botDocumentChunks.content, model: s.botDocumentChunks.embeddingModel })
      .from(s.botDocumentChunks)
      .where(eq(s.botDocumentChunks.botId, bot!.id));
    const chunkTotal = stored.length;
    const models = new Set(stored.map((c) => c.model));
    if (models.size !== 1 || !models.has(embedder.id)) {
      throw new Error(`the worker embedded with ${[...models].join(", ") || "nothing"}, the eval queries with ${embedder.id}`);
    }
    const chunkText = new Map(stored.map((c) => [c.id, norm(c.content)]));
    const questions: { question: string; sentence: string; docId: string }[] = [];
    squad.data.forEach((article, a) => {
      for (const p of article.paragraphs) {
        for (const qa of p.qas) {
          const answer = qa.answers[0];
          if (!answer) continue;
          questions.push({ question: qa.question, sentence: sentenceAt(p.context, answer.answer_start), docId: ingest.documentIds[a]! });
        }
      }
    });

    // Relevance: the chunks holding the answer's sentence.
    const chunksByDoc = new Map<string, string[]>();
    for (const c of stored) chunksByDoc.set(c.documentId, [...(chunksByDoc.get(c.documentId) ?? []), c.id]);
    let all = questions.map((q) => ({
      ...q,
      relevant: new Set((chunksByDoc.get(q.docId) ?? []).filter((id) => chunkText.get(id)!.includes(q.sentence))),
    }));
    const unjudged = all.filter((q) => q.relevant.size === 0).length;
    all = all.filter((q) => q.relevant.size > 0);
    if (questionLimit !== undefined) all = all.slice(0, questionLimit);
    const relevant = all.map((q) => q.relevant);
    console.log(`ingested ${squad.data.length} articles, ${chunkTotal} chunks in ${(ingestMs / 1000).toFixed(1)} s (adding ${ingest.addSeconds.toFixed(1)} s, worker ${ingest.workerSeconds.toFixed(1)} s); ${all.length} questions (${unjudged} without a chunk holding the answer sentence skipped)`);

    const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
    const depth = 40;
    const legs = { vector: [] as string[][], keyword: [] as string[][] };
    const legMs = { vector: 0, keyword: 0 };
    for (const mode of ["vector", "keyword"] as const) {
      const t0 = performance.now();
      await pool(all, Number(args.concurrency), async (q, i) => {
        const r = await retrieval.retrieve({ bot: bot!, query: q.question, mode, topK: depth, minScore: 0 });
        legs[mode][i] = r.chunks.map((c) => c.chunkId);
      });
      legMs[mode] = performance.now() - t0;
      console.log(`${mode}: ${(legMs[mode] / 1000).toFixed(1)} s`, score(legs[mode], relevant));
    }
    const vectorM = score(legs.vector, relevant);
    const keywordM = score(legs.keyword, relevant);
    const better = vectorM.ndcg10 >= keywordM.ndcg10 ? vectorM : keywordM;
    const best: Metrics = {
      r1: Math.max(vectorM.r1, keywordM.r1),
      r5: Math.max(vectorM.r5, keywordM.r5),
      r10: Math.max(vectorM.r10, keywordM.r10),
      mrr: Math.max(vectorM.mrr, keywordM.mrr),
      ndcg10: Math.max(vectorM.ndcg10, keywordM.ndcg10),
    };

    // Fusion weights by measurement (RRF of the same 40-deep legs the service fuses).
    const grid: { vector: number; keyword: number; m: Metrics }[] = [];
    for (const vector of [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1]) {
      for (const keyword of [1]) {
        const fused = all.map((_, i) =>
          fuseReciprocalRank(
            { vector: legs.vector[i]!.map((id) => ({ id, score: 0 })), keyword: legs.keyword[i]!.map((id) => ({ id, score: 0 })) },
            { vector, keyword },
          ).map((h) => h.id),
        );
        grid.push({ vector, keyword, m: score(fused, relevant) });
      }
    }
    for (const g of grid) console.log(`weights v=${g.vector} k=${g.keyword}`, g.m);
    const qualifying = grid.filter((g) => g.vector > 0 && atLeast(g.m, best));
    // Best nDCG@10 among qualifying weights; on a tie the larger vector weight, so the
    // vector leg keeps as much say as it can without costing quality.
    const chosen = (qualifying.length > 0 ? qualifying : grid).reduce((a, b) =>
      b.m.ndcg10 > a.m.ndcg10 || (b.m.ndcg10 === a.m.ndcg10 && b.vector > a.vector) ? b : a,
    );
    const equal = grid.find((g) => g.vector === 1 && g.keyword === 1)!;

    // The chosen weights through the service's own hybrid path, as a bot would run it.
    const hybridRanked: string[][] = [];
    const t0 = performance.now();
    await pool(all, Number(args.concurrency), async (q, i) => {
      const r = await retrieval.retrieve({
        bot: bot!,
        query: q.question,
        mode: "hybrid",
        topK: 10,
        minScore: 0,
        fusionWeights: { vector: chosen.vector, keyword: chosen.keyword },
      });
      hybridRanked[i] = r.chunks.map((c) => c.chunkId);
    });
    const hybridMs = performance.now() - t0;
    const hybridM = score(hybridRanked, relevant);
    console.log("hybrid (service, chosen weights)", hybridM, atLeast(hybridM, best) ? "≥ better leg on every metric" : "BELOW the better leg");
    const totalS = (performance.now() - started) / 1000;

    const rows = [
      ["vector (local:lexical-hash-v1)", vectorM, legMs.vector],
      ["keyword (BM25, k1=1.2, b=0.75)", keywordM, legMs.keyword],
      [`hybrid, RRF k=60, weights vector ${chosen.vector} / keyword ${chosen.keyword} (new-bot default)`, hybridM, hybridMs],
      [`hybrid, equal weights 1 / 1 (for comparison)`, equal.m, Number.NaN],
    ] as const;
    const section = [
      "## Retrieval quality (SQuAD v1.1 dev, offline embedder)",
      "",
      `Reproduce: \`DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent REDIS_URL=redis://127.0.0.1:6379 pnpm eval:retrieval\` (apps/chat/bench/eval-retrieval.ts). Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, 2 cores, PostgreSQL 15 + pgvector 0.8.`,
      "",
      `Corpus: ${squad.data.length} articles as ${squad.data.length} documents, ingested through the real pipeline: each article added as text through the documents service (original into object storage, here the fs driver, and an ingest job onto a BullMQ queue), then processed by one worker process started with its shipped \`start\` command (${ingest.workerConcurrency ? `WORKER_CONCURRENCY=${ingest.workerConcurrency}` : "default concurrency"}): extraction, token-aware chunking with the new-bot default rag config (${bot!.ragConfig.chunkSize} tokens, ${bot!.ragConfig.chunkOverlap} overlap) into ${chunkTotal} chunks, embedding with \`${embedder.id}\`, and each document's chunks committed with one binary COPY in one transaction. Ingestion took ${(ingestMs / 1000).toFixed(1)} s: ${ingest.addSeconds.toFixed(1)} s to store and enqueue the documents, ${ingest.workerSeconds.toFixed(1)} s from the worker's spawn (start-up included) to the last document PROCESSED. ${all.length} questions are judged (${unjudged} skipped: no chunk holds their answer's whole sentence); a chunk is relevant when it contains the sentence holding the answer. Total run ${totalS.toFixed(0)} s.`,
      "",
      table(
        ["mode", "recall@1", "recall@5", "recall@10", "MRR", "nDCG@10", "time for all questions"],
        rows.map(([name, m, ms]) => [name, f(m.r1), f(m.r5), f(m.r10), f(m.mrr), f(m.ndcg10), Number.isNaN(ms) ? "(offline fusion)" : `${(ms / 1000).toFixed(1)} s (${(ms / all.length).toFixed(1)} ms/query at concurrency ${args.concurrency})`]),
      ),
      "",
      `Fusion weights (vector weight with keyword weight 1; nDCG@10): ${grid.map((g) => `${g.vector}: ${f(g.m.ndcg10)}`).join(", ")}.`,
      `The offline embedder is lexical and much weaker than BM25, so equal weights let it drag hybrid ${equal.m.ndcg10 < better.ndcg10 ? "below" : "to about"} the keyword leg; the new-bot default \`fusionWeights\` is the weight pair with the best nDCG@10 among those scoring at least the better leg on every metric: vector ${chosen.vector}, keyword ${chosen.keyword}. Default mode stays \`hybrid\` and \`topK\` 5.`,
    ].join("\n");
    console.log(section);
    if (subset) console.log("subset run: docs/benchmarks.md left as it is");
    else if (!args["no-write"]) writeSection("eval:retrieval", section);
  } finally {
    if (args.keep) {
      console.log(`kept database ${scratch.url}`);
      await scratch.close();
    } else {
      await scratch.drop();
    }
  }
}

await main();

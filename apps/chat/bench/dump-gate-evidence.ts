/**
 * Dumps, for every SQuAD question asked of both half-corpus bots (ingested as in
 * bench:answers), what the support gate sees at answer time: the retrieval result and the
 * question's coverage (getQuestionTermCoverage: its words, their IDF, where they occur
 * sentence by sentence); bench/fit-gate.ts fits the gate's weights from it. --keep leaves
 * the scratch database in place (its URL is in the dump) to query it again; drop it by hand.
 *
 *   pnpm tsx bench/dump-gate-evidence.ts --out /tmp/gate-evidence.json [--articles N] [--limit N]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Database } from "@docent/db/client";
import { defaultRagConfig } from "@docent/contracts/json";
import { getQuestionTermCoverage } from "@docent/db/queries/answer-support";
import { getBot, type Bot } from "@docent/db/queries/bots";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { sql } from "drizzle-orm";
import { createRetrievalService } from "../src/retrieval/service";
import { ingestThroughWorker } from "./ingest-through-worker";
import { createScratchDatabase } from "./scratch-db";
import { defaultSquadPath, pool, type Squad } from "./squad";

const args = parseArgs({
  options: {
    articles: { type: "string" },
    limit: { type: "string" },
    out: { type: "string", default: "/tmp/gate-evidence.json" },
    concurrency: { type: "string", default: "4" },
    /** Keep the scratch database (its URL and bot ids go into the output) to query it again. */
    keep: { type: "boolean", default: false },
    dataset: { type: "string", default: defaultSquadPath },
  },
}).values;

async function createBenchBot(db: Database, workspaceId: string, name: string): Promise<Bot> {
  const [row] = await db.insert(s.bots).values({ workspaceId, name, publicId: `gate-${name}`, status: "READY", ragConfig: defaultRagConfig }).returning();
  return (await getBot(db, { workspaceId, botId: row!.id }))!;
}

const squad = JSON.parse(readFileSync(args.dataset!, "utf8")) as Squad;
if (args.articles) squad.data = squad.data.slice(0, Number(args.articles));
const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "gatedump");
const { db } = scratch;
try {
  await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: 2_000_000_000 });
  const [workspace] = await db.insert(s.workspaces).values({ name: "gate", slug: "gate" }).returning();
  const halves = [await createBenchBot(db, workspace!.id, "even"), await createBenchBot(db, workspace!.id, "odd")];
  const documents = squad.data.map((a) => ({ name: a.title, text: a.paragraphs.map((p) => p.context).join("\n\n") }));
  for (const [h, bot] of halves.entries()) {
    await ingestThroughWorker({ db, databaseUrl: scratch.url, redisUrl: process.env.REDIS_URL!, botId: bot.id, documents: documents.filter((_, i) => i % 2 === h) });
  }
  await db.execute(sql`analyze bot_document_chunks`);
  let questions = squad.data.flatMap((article, a) =>
    article.paragraphs.flatMap((p) => p.qas.map((qa) => ({ question: qa.question, answers: qa.answers.map((x) => x.text), article: a }))),
  );
  const limit = args.limit ? Number(args.limit) : undefined;
  if (limit !== undefined) questions = questions.filter((_, i) => i % Math.max(1, Math.floor(questions.length / limit)) === 0).slice(0, limit);
  // The chunks' text, to read the evidence by eye.
  const chunkRows = await db.execute<{ id: string; content: string }>(sql`select id, content from bot_document_chunks`);
  const chunks = Object.fromEntries(chunkRows.map((r) => [r.id, r.content]));
  const embedder = createLocalEmbedder();
  const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
  const out: unknown[] = [];
  await pool(questions, Number(args.concurrency), async (q, i) => {
    const row: Record<string, unknown> = { i, article: q.article, question: q.question, answers: q.answers };
    for (const [h, bot] of halves.entries()) {
      const r = await retrieval.retrieve({ bot, query: q.question });
      const coverage = r.chunks.length
        ? await getQuestionTermCoverage(db, { botId: bot.id, question: q.question, textSearchConfig: bot.language, chunkIds: r.chunks.map((c) => c.chunkId) })
        : { chunkCount: 0, terms: [] };
      row[h === 0 ? "even" : "odd"] = {
        chunks: r.chunks.map((c) => ({
          id: c.chunkId,
          rank: c.rank,
          score: c.score,
          vector: c.vector?.score ?? null,
          keyword: c.keyword?.score ?? null,
          bm25: c.keyword?.bm25 ?? null,
        })),
        coverage,
      };
    }
    out[i] = row;
    if (i % 1000 === 0) console.log(`${i}/${questions.length}`);
  });
  writeFileSync(args.out!, JSON.stringify({ url: scratch.url, bots: halves.map((b) => b.id), chunks, questions: out }));
  console.log(`wrote ${args.out}`);
} finally {
  if (args.keep) await scratch.close();
  else await scratch.drop();
}
process.exit(0);

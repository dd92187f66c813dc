/**
 * Dumps what the offline reader is handed for SQuAD questions asked of one bot holding
 * every article (ingested as in bench:answers, asked through the answer service with
 * strict mode on): the question, its gold answers, and the sources of each answered
 * question (null when the gate refused). bench/tune-reader.ts replays the reader on the
 * dump in seconds, without the database.
 *
 *   pnpm tsx bench/dump-reader-requests.ts --out /tmp/reader-requests.json [--every 2 [--offset 1]]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLogger } from "@docent/config/logger";
import { defaultRagConfig } from "@docent/contracts/json";
import { getBot } from "@docent/db/queries/bots";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { sql } from "drizzle-orm";
import { createChatService } from "../src/answer/service";
import { chatEnvSchema } from "../src/env";
import { createExtractiveResponder } from "../src/llm/extractive";
import type { PromptSource, Responder } from "../src/llm/types";
import { createRetrievalService } from "../src/retrieval/service";
import { ingestThroughWorker } from "./ingest-through-worker";
import { createScratchDatabase } from "./scratch-db";
import { defaultSquadPath, pool, type Squad } from "./squad";

const args = parseArgs({
  options: {
    out: { type: "string", default: "/tmp/reader-requests.json" },
    every: { type: "string", default: "1" },
    /** With --every: which residue to keep, to dump questions not tuned on. */
    offset: { type: "string", default: "0" },
    concurrency: { type: "string", default: "4" },
    dataset: { type: "string", default: defaultSquadPath },
  },
}).values;

const squad = JSON.parse(readFileSync(args.dataset!, "utf8")) as Squad;
const env = chatEnvSchema.parse({});
const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "readerdump");
const { db } = scratch;
try {
  await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: 2_000_000_000 });
  const [workspace] = await db.insert(s.workspaces).values({ name: "reader", slug: "reader" }).returning();
  const [row] = await db.insert(s.bots).values({ workspaceId: workspace!.id, name: "all", publicId: "reader-all", status: "READY", ragConfig: defaultRagConfig }).returning();
  const bot = (await getBot(db, { workspaceId: workspace!.id, botId: row!.id }))!;
  const documents = squad.data.map((a) => ({ name: a.title, text: a.paragraphs.map((p) => p.context).join("\n\n") }));
  await ingestThroughWorker({ db, databaseUrl: scratch.url, redisUrl: process.env.REDIS_URL!, botId: bot.id, documents });
  await db.execute(sql`analyze bot_document_chunks`);
  const every = Number(args.every);
  const questions = squad.data
    .flatMap((article) => article.paragraphs.flatMap((p) => p.qas.map((qa) => ({ question: qa.question, answers: qa.answers.map((x) => x.text) }))))
    .map((q, i) => ({ ...q, i }))
    .filter((q) => q.i % every === Number(args.offset));
  const embedder = createLocalEmbedder();
  const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
  const extractive = createExtractiveResponder();
  const out: unknown[] = [];
  await pool(questions, Number(args.concurrency), async (q, k) => {
    let sources: PromptSource[] | null = null;
    const recorder: Responder = {
      ...extractive,
      generate: (request, onToken) => {
        sources = request.sources;
        return extractive.generate(request, onToken);
      },
    };
    const service = createChatService({
      db,
      retrieval,
      responderFor: async () => recorder,
      logger: createLogger({ service: "reader-dump", level: "error" }),
      maxTokensCap: env.LLM_MAX_TOKENS,
      support: { minSupport: env.CHAT_MIN_SUPPORT, minSimilarity: env.CHAT_MIN_RELEVANT_SIMILARITY },
    });
    const a = await service.ask({ bot, message: q.question, channel: "api", actor: {} });
    out[k] = { ...q, refused: a.refused, sources: a.refused ? null : sources };
    if (k % 500 === 0) console.log(`${k}/${questions.length}`);
  });
  writeFileSync(args.out!, JSON.stringify(out));
  console.log(`wrote ${args.out}`);
} finally {
  await scratch.drop();
}
process.exit(0);

/**
 * Answer quality without a model, and strict mode's refusals, on SQuAD v1.1 dev (48
 * articles, 10,570 questions), through the product's own answer pipeline
 * (`createChatService().ask`: retrieval, the support gate, the extractive reader,
 * citation checking, storage), with the new-bot defaults (hybrid retrieval, top 5,
 * strict mode on).
 *
 * Ingestion goes through the real pipeline (ingest-through-worker.ts, as the retrieval
 * eval): documents service, BullMQ, one worker process, local embedder. Three bots: one
 * holding all 48 articles, one the even-numbered articles, one the odd-numbered ones.
 *
 *  1. Answer containment: every question asked of the bot holding all articles; a
 *     question counts when one of its gold answers (SQuAD's normalisation: lower case,
 *     no punctuation or articles) appears in the answer; the answer's length in words
 *     (citation markers not counted).
 *  2. Strict refusals: every question asked of the half-corpus bot holding its article
 *     (must be answered) and of the one lacking it (must be refused). The support
 *     threshold is chosen on the even-numbered questions and reported on the odd ones
 *     (a sweep over retrieval and the gate alone, every question), then an evenly spread
 *     sample runs end to end at the default threshold, offline and, for a smaller sample,
 *     with a model: the real `openai`
 *     client against the OpenAI-wire test server (test-support/llm-server.ts), which
 *     never refuses by itself, so its figures are the gate's.
 *  3. A small question set over CSV, JSON and Markdown-with-code fixtures
 *     (answer-fixtures.ts), extracted and chunked by @docent/ingest.
 *  4. Neighbouring context (ragConfig.context): containment, length and the prompt's source
 *     tokens on an evenly spread sample of the bot holding every article, with the
 *     retrieved chunks alone and widened by one neighbour either side, and the fixture
 *     questions (Markdown guides with headings) widened to their section.
 *
 *   pnpm bench:answers [--articles N] [--limit N] [--strict-sample 2000] [--model-sample 300] [--context-sample 2000] [--concurrency 4] [--no-write]
 *
 * Subset runs (`--articles`, `--limit`) never rewrite docs/benchmarks.md.
 * Needs DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLogger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { defaultRagConfig } from "@docent/contracts/json";
import { getQuestionTermCoverage } from "@docent/db/queries/answer-support";
import type { Bot } from "@docent/db/queries/bots";
import { getBot } from "@docent/db/queries/bots";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings/local";
import { chunkDocument } from "@docent/ingest/chunk";
import { extract } from "@docent/ingest/extract";
import { sql } from "drizzle-orm";
import { startTestLlmServer } from "../test-support/llm-server";
import { createChatService } from "../src/answer/service";
import { supportScores } from "../src/answer/support";
import { chatEnvSchema } from "../src/env";
import { createExtractiveResponder } from "../src/llm/extractive";
import { createOpenAiResponder } from "../src/llm/openai-responder";
import { countTokens } from "../src/llm/tokens";
import type { Responder } from "../src/llm/types";
import { createRetrievalService } from "../src/retrieval/service";
import { fixtureDocuments, fixtureQuestions } from "./answer-fixtures";
import { ingestThroughWorker } from "./ingest-through-worker";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase } from "./scratch-db";
import { answerWords, defaultSquadPath, normalise, pool, type Squad } from "./squad";

const args = parseArgs({
  options: {
    articles: { type: "string" },
    limit: { type: "string" },
    /** Questions asked end to end of both half-corpus bots (every question in the sweep). */
    "strict-sample": { type: "string", default: "2000" },
    "model-sample": { type: "string", default: "300" },
    "context-sample": { type: "string", default: "2000" },
    concurrency: { type: "string", default: "4" },
    "no-write": { type: "boolean", default: false },
    dataset: { type: "string", default: defaultSquadPath },
  },
}).values;

interface Question {
  question: string;
  answers: string[];
  article: number;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const f3 = (x: number) => x.toFixed(3);

async function createBenchBot(db: Database, workspaceId: string, name: string): Promise<Bot> {
  const [row] = await db
    .insert(s.bots)
    .values({ workspaceId, name, publicId: `answers-${name}`.slice(0, 32), status: "READY", ragConfig: defaultRagConfig })
    .returning();
  return (await getBot(db, { workspaceId, botId: row!.id }))!;
}

/** The fixtures through the real extractors and chunker (no queue: they are not plain text). */
async function addFixtures(db: Database, bot: Bot) {
  const embedder = createLocalEmbedder();
  for (const doc of fixtureDocuments) {
    const extracted = await extract({ bytes: new TextEncoder().encode(doc.text), kind: doc.kind });
    const chunks = chunkDocument(extracted, { chunkSize: bot.ragConfig.chunkSize, chunkOverlap: bot.ragConfig.chunkOverlap });
    const [row] = await db
      .insert(s.botDocuments)
      .values({ botId: bot.id, name: doc.name, status: "PROCESSED", sourceType: "MANUAL_TEXT", chunkCount: chunks.length })
      .returning();
    const vectors = await embedder.embed(chunks.map((c) => c.content));
    await db.insert(s.botDocumentChunks).values(
      chunks.map((c, i) => ({
        botId: bot.id,
        documentId: row!.id,
        chunkIndex: c.index,
        content: c.content,
        contentHash: createHash("sha256").update(c.content).digest("hex"),
        tokenCount: c.tokenCount,
        metadata: c.metadata,
        embedding: vectors[i]!,
        embeddingModel: embedder.id,
        textSearchConfig: bot.language,
      })),
    );
  }
}

async function main() {
  const started = performance.now();
  const squad = JSON.parse(readFileSync(args.dataset!, "utf8")) as Squad;
  const datasetArticles = squad.data.length;
  if (args.articles) squad.data = squad.data.slice(0, positiveInt("--articles", args.articles));
  const limit = args.limit ? positiveInt("--limit", args.limit) : undefined;
  const subset = squad.data.length < datasetArticles || limit !== undefined;
  const concurrency = positiveInt("--concurrency", args.concurrency!);
  const modelSample = positiveInt("--model-sample", args["model-sample"]!);
  const strictSample = positiveInt("--strict-sample", args["strict-sample"]!);
  const contextSample = positiveInt("--context-sample", args["context-sample"]!);
  const env = chatEnvSchema.parse({});
  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const scratch = await createScratchDatabase(serverUrl, "answers");
  const { db } = scratch;
  const llm = await startTestLlmServer();
  try {
    await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: 2_000_000_000 });
    const [workspace] = await db.insert(s.workspaces).values({ name: "SQuAD answers", slug: "squad-answers" }).returning();
    const all = await createBenchBot(db, workspace!.id, "all");
    const halves = [await createBenchBot(db, workspace!.id, "even"), await createBenchBot(db, workspace!.id, "odd")] as const;
    const fixtures = await createBenchBot(db, workspace!.id, "fixtures");

    const documents = squad.data.map((a) => ({ name: a.title, text: a.paragraphs.map((p) => p.context).join("\n\n") }));
    const ingestStart = performance.now();
    await ingestThroughWorker({ db, databaseUrl: scratch.url, redisUrl, botId: all.id, documents });
    for (const [h, bot] of halves.entries()) {
      await ingestThroughWorker({ db, databaseUrl: scratch.url, redisUrl, botId: bot.id, documents: documents.filter((_, i) => i % 2 === h) });
    }
    await addFixtures(db, fixtures);
    await db.execute(sql`analyze bot_document_chunks`);
    const ingestS = (performance.now() - ingestStart) / 1000;

    let questions: Question[] = squad.data.flatMap((article, a) =>
      article.paragraphs.flatMap((p) => p.qas.map((qa) => ({ question: qa.question, answers: qa.answers.map((x) => x.text), article: a }))),
    );
    if (limit !== undefined) questions = questions.filter((_, i) => i % Math.max(1, Math.floor(questions.length / limit)) === 0).slice(0, limit);
    console.log(`ingested ${documents.length} articles into 3 bots and ${fixtureDocuments.length} fixtures in ${ingestS.toFixed(1)} s; ${questions.length} questions`);

    const embedder = createLocalEmbedder();
    const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
    const logger = createLogger({ service: "eval-answers", level: "error" });
    const extractive = createExtractiveResponder();
    const serviceWith = (responder: Responder) =>
      createChatService({
        db,
        retrieval,
        responderFor: async () => responder,
        logger,
        maxTokensCap: env.LLM_MAX_TOKENS,
        support: { minSupport: env.CHAT_MIN_SUPPORT, minSimilarity: env.CHAT_MIN_RELEVANT_SIMILARITY },
      });
    const offline = serviceWith(extractive);
    const holder = (q: Question) => halves[q.article % 2]!;
    const stranger = (q: Question) => halves[(q.article + 1) % 2]!;

    // 1. Containment on the bot holding every article.
    const t1 = performance.now();
    const contained: boolean[] = [];
    const lengths: number[] = [];
    let refusedOnAll = 0;
    await pool(questions, concurrency, async (q, i) => {
      const a = await offline.ask({ bot: all, message: q.question, channel: "api", actor: {} });
      const text = normalise(a.content);
      contained[i] = !a.refused && q.answers.some((g) => text.includes(normalise(g)));
      if (a.refused) refusedOnAll++;
      else lengths.push(answerWords(a.content));
      if (i % 1000 === 0) console.log(`containment ${i}/${questions.length}`);
    });
    const containmentS = (performance.now() - t1) / 1000;
    const containment = contained.filter(Boolean).length / questions.length;
    console.log(`containment ${f3(containment)}, median ${median(lengths)} words, refused ${refusedOnAll}, ${containmentS.toFixed(0)} s`);

    // 2a. Threshold sweep on retrieval and the gate alone: best support per question and bot.
    const bestSupport = async (bot: Bot, q: Question) => {
      const r = await retrieval.retrieve({ bot, query: q.question });
      if (r.chunks.length === 0) return 0;
      const coverage = await getQuestionTermCoverage(db, { botId: bot.id, question: q.question, textSearchConfig: bot.language, chunkIds: r.chunks.map((c) => c.chunkId) });
      return Math.max(0, ...supportScores(r.chunks.map((c) => c.chunkId), coverage).values());
    };
    const own: number[] = [];
    const foreign: number[] = [];
    await pool(questions, concurrency, async (q, i) => {
      own[i] = await bestSupport(holder(q), q);
      foreign[i] = await bestSupport(stranger(q), q);
    });
    const grid = [...new Set([0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, env.CHAT_MIN_SUPPORT])].sort((a, b) => a - b);
    const rates = (t: number, part: 0 | 1) => {
      const idx = questions.map((_, i) => i).filter((i) => i % 2 === part);
      return {
        wronglyRefused: idx.filter((i) => own[i]! < t).length / idx.length,
        wronglyAnswered: idx.filter((i) => foreign[i]! >= t).length / idx.length,
      };
    };
    const sweep = grid.map((t) => ({ t, tune: rates(t, 0), held: rates(t, 1) }));
    const sweepS = (performance.now() - t1) / 1000 - containmentS;
    for (const row of sweep) console.log(`support ${row.t}: tune ${JSON.stringify(row.tune)} held-out ${JSON.stringify(row.held)}`);
    // The threshold whose worse error rate is lowest on the tuning half.
    const chosen = sweep.reduce((a, b) =>
      Math.max(b.tune.wronglyRefused, b.tune.wronglyAnswered) < Math.max(a.tune.wronglyRefused, a.tune.wronglyAnswered) ? b : a,
    );
    if (chosen.t !== env.CHAT_MIN_SUPPORT) {
      console.log(`NOTE: the tuning half prefers ${chosen.t}; CHAT_MIN_SUPPORT's default is ${env.CHAT_MIN_SUPPORT} (the end-to-end runs use the default)`);
    }

    // 2b. End to end at the default threshold: offline for every question, with a model for a sample.
    const strictRun = async (service: ReturnType<typeof serviceWith>, qs: Question[]) => {
      let wronglyRefused = 0;
      let wronglyAnswered = 0;
      await pool(qs, concurrency, async (q) => {
        const mine = await service.ask({ bot: holder(q), message: q.question, channel: "api", actor: {} });
        const theirs = await service.ask({ bot: stranger(q), message: q.question, channel: "api", actor: {} });
        if (mine.refused) wronglyRefused++;
        if (!theirs.refused) wronglyAnswered++;
      });
      return { wronglyRefused: wronglyRefused / qs.length, wronglyAnswered: wronglyAnswered / qs.length, n: qs.length };
    };
    const spread = (n: number) => questions.filter((_, i) => i % Math.max(1, Math.floor(questions.length / n)) === 0).slice(0, n);
    const t2 = performance.now();
    const strictOffline = await strictRun(offline, spread(strictSample));
    const strictS = (performance.now() - t2) / 1000;
    console.log("strict offline", strictOffline);
    // The test model answers from its first source, citing it; it never refuses on its own.
    llm.setReply((r) => {
      const first = /\n\[1\] \([^)]*\)\n([^\n]+)/.exec(r.body.messages[0]!.content)?.[1] ?? "";
      return `${first.split(/(?<=[.!?])\s/)[0] ?? ""} [1]`;
    });
    const modelResponder = createOpenAiResponder({ provider: "openai_compatible", baseUrl: llm.baseUrl, apiKey: "bench", model: "test-model", timeoutMs: 10_000 });
    const strictModel = await strictRun(serviceWith(modelResponder), spread(modelSample));
    console.log("strict with a model", strictModel);

    // 3. The fixture questions.
    const fixtureRows: string[][] = [];
    let fixtureHits = 0;
    const fixtureLengths: number[] = [];
    for (const q of fixtureQuestions) {
      const a = await offline.ask({ bot: fixtures, message: q.question, channel: "api", actor: {} });
      const ok = !a.refused && q.expect.every((e) => a.content.toLowerCase().includes(e.toLowerCase()));
      if (ok) fixtureHits++;
      const words = answerWords(a.content);
      fixtureLengths.push(words);
      fixtureRows.push([q.question, ok ? "yes" : "no", String(words), `\`${a.content.replace(/\n/g, " ⏎ ").replace(/`/g, "'").slice(0, 160).replace(/\|/g, "\\|")}\``]);
    }
    console.log(`fixtures: ${fixtureHits}/${fixtureQuestions.length}`);

    // 4. Neighbouring context: what the reader gets and gives with wider passages.
    const withContext = (bot: Bot, context: Bot["ragConfig"]["context"]): Bot => ({ ...bot, ragConfig: { ...bot.ragConfig, context } });
    const sourceTokens: number[] = [];
    const recorder: Responder = {
      ...extractive,
      generate: (request, onToken) => {
        sourceTokens.push(request.sources.reduce((n, src) => n + countTokens(src.content), 0));
        return extractive.generate(request, onToken);
      },
    };
    const recording = serviceWith(recorder);
    const contextVariants = [
      { label: "retrieved chunks only (default)", context: { neighbours: 0, sameSection: false, maxTokens: 1500 } },
      { label: "± 1 neighbour, 1,500 extra tokens", context: { neighbours: 1, sameSection: false, maxTokens: 1500 } },
      { label: "± 2 neighbours, 3,000 extra tokens", context: { neighbours: 2, sameSection: false, maxTokens: 3000 } },
    ];
    const contextQuestions = spread(contextSample);
    const contextRows: (string | number)[][] = [];
    for (const variant of contextVariants) {
      sourceTokens.length = 0;
      const hits: boolean[] = [];
      const words: number[] = [];
      const t4 = performance.now();
      const bot = withContext(all, variant.context);
      await pool(contextQuestions, concurrency, async (q, i) => {
        const a = await recording.ask({ bot, message: q.question, channel: "api", actor: {} });
        const text = normalise(a.content);
        hits[i] = !a.refused && q.answers.some((g) => text.includes(normalise(g)));
        if (!a.refused) words.push(answerWords(a.content));
      });
      let fixtureOk = 0;
      const fixtureBot = withContext(fixtures, { ...variant.context, sameSection: variant.context.neighbours > 0 });
      for (const q of fixtureQuestions) {
        const a = await recording.ask({ bot: fixtureBot, message: q.question, channel: "api", actor: {} });
        if (!a.refused && q.expect.every((e) => a.content.toLowerCase().includes(e.toLowerCase()))) fixtureOk++;
      }
      const meanTokens = Math.round(sourceTokens.reduce((a, b) => a + b, 0) / Math.max(1, sourceTokens.length));
      const row = [variant.label, contextQuestions.length, f3(hits.filter(Boolean).length / contextQuestions.length), `${median(words)} words`, `${meanTokens}`, `${fixtureOk} of ${fixtureQuestions.length}`, `${((performance.now() - t4) / 1000).toFixed(0)} s`];
      console.log("context", row.join(" | "));
      contextRows.push(row);
    }
    const totalS = (performance.now() - started) / 1000;

    const section = [
      "## Answers: offline reader and strict refusals (SQuAD v1.1 dev)",
      "",
      `Reproduce: \`DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent REDIS_URL=redis://127.0.0.1:6379 pnpm bench:answers\` (apps/chat/bench/eval-answers.ts). Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, 2 cores shared with other work (times are indicative), PostgreSQL 15 + pgvector 0.8.`,
      "",
      `Every answer goes through the answer service as a bot runs it (\`ask\`: hybrid retrieval top 5, strict mode, the support gate, the offline extractive reader, citation checking, storage), new-bot defaults, offline embedder. The ${documents.length} articles were ingested through the real pipeline (documents service, BullMQ, one worker process) into three bots: all articles, the even-numbered ones, the odd-numbered ones (${ingestS.toFixed(0)} s). Total run ${totalS.toFixed(0)} s.`,
      "",
      "### Offline answers: answer containment",
      "",
      `A question counts when one of its gold answers (SQuAD normalisation) appears in the answer. Length is the answer's words without the "From the documents:" prefix and citation markers.`,
      "",
      table(
        ["questions", "containment", "median length", "p90 length", "refused (gate)", "containment of the answered", "time"],
        [[questions.length, `**${f3(containment)}**`, `**${median(lengths)} words**`, `${pct(lengths, 0.9)} words`, `${refusedOnAll} (${f3(refusedOnAll / questions.length)})`, f3(contained.filter(Boolean).length / Math.max(1, questions.length - refusedOnAll)), `${containmentS.toFixed(0)} s at concurrency ${concurrency}`]],
      ),
      "",
      `Target: containment >= 0.80 at a median length <= 60 words: ${containment >= 0.8 && median(lengths) <= 60 ? "met" : "NOT met"}.`,
      "",
      "### Strict mode: answered when the bot holds the article, refused when it does not",
      "",
      `Each question is asked of the half-corpus bot holding its article (wrongly refused if refused) and of the other half (wrongly answered if answered). A passage supports a question when its support score reaches \`CHAT_MIN_SUPPORT\` (default ${env.CHAT_MIN_SUPPORT}): a logistic model over lexical evidence (how much of the question's IDF-weighted words the passage and its best sentences hold, the question's word pairs found side by side, the words the bot never uses; src/answer/support.ts), its weights fitted on the even-numbered questions by bench/fit-gate.ts. The gate is the same code for offline answers and for a model.`,
      "",
      table(
        ["run", "questions (each asked of both bots)", "wrongly refused", "wrongly answered"],
        [
          ["offline (extractive reader), end to end, evenly spread sample", strictOffline.n, `**${f3(strictOffline.wronglyRefused)}**`, `**${f3(strictOffline.wronglyAnswered)}**`],
          ["with a model (real openai client, OpenAI-wire test server), end to end, sample", strictModel.n, f3(strictModel.wronglyRefused), f3(strictModel.wronglyAnswered)],
        ],
      ),
      "",
      `Target: both <= 0.10. End to end offline run: ${strictS.toFixed(0)} s. The test model never refuses by itself, so its rates are the gate's; a real model may also refuse when its sources do not answer, which can only lower "wrongly answered". The cosine branch of the gate (semantic embedders only) is not exercised here: the offline embedder is lexical.`,
      "",
      `Threshold sweep over all ${questions.length} questions (retrieval and the gate alone, ${sweepS.toFixed(0)} s; wrongly refused / wrongly answered). The default is the threshold with the lowest worse-of-the-two rate on the even-numbered questions, reported on the odd-numbered ones:`,
      "",
      table(
        ["CHAT_MIN_SUPPORT", "tuning half", "held-out half"],
        sweep.map((r) => [
          r.t === env.CHAT_MIN_SUPPORT ? `**${r.t}** (default)` : String(r.t),
          `${f3(r.tune.wronglyRefused)} / ${f3(r.tune.wronglyAnswered)}`,
          `${f3(r.held.wronglyRefused)} / ${f3(r.held.wronglyAnswered)}`,
        ]),
      ),
      "",
      "### Structured and technical documents",
      "",
      `${fixtureQuestions.length} questions over a CSV package table, a JSON release list and two Markdown guides with code blocks (apps/chat/bench/answer-fixtures.ts; our own documents, extracted and chunked by @docent/ingest), asked of one bot holding all four. Answered: **${fixtureHits} of ${fixtureQuestions.length}** (every expected text in the answer), median length ${median(fixtureLengths)} words.`,
      "",
      table(["question", "answered", "words", "answer"], fixtureRows),
      "",
      "### Neighbouring context",
      "",
      `The answer step can widen each retrieved passage with its neighbouring chunks and its section (\`ragConfig.context\`, src/answer/context.ts; citations still name the retrieved chunk). Same answer service and offline reader, on ${contextQuestions.length} evenly spread questions of the bot holding every article, and on the fixture questions (there with the section too: the Markdown guides have headings; SQuAD's plain-text articles have none). "Source tokens" is the mean size of the sources handed to the reader per answer (cl100k).`,
      "",
      table(["passages", "questions", "containment", "median length", "source tokens", "fixtures answered", "time"], contextRows),
      "",
      "The offline reader quotes the units that best match the question, so wider passages mostly give it more to choose from; with a model, whole procedures and tables are what the widening is for, at the cost of the extra prompt tokens shown.",
    ].join("\n");
    console.log(section);
    if (subset) console.log("subset run: docs/benchmarks.md left as it is");
    else if (!args["no-write"]) writeSection("bench:answers", section);
  } finally {
    await llm.close();
    await scratch.drop();
  }
}

await main();

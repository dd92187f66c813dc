/**
 * One evaluation run: every question of the set, in every setting asked for, through the
 * same retrieval (and reranking) answers use, top 10, no minimum score; metrics per
 * setting (metrics.ts) and the questions each setting missed. Nothing is written until the
 * whole run is done, then results and misses go in with SUCCEEDED in one transaction; a
 * run that fails writes only its error, so earlier runs keep their results.
 *
 * Checked before anything runs, each a failure the admin can act on (RunError): the set
 * is empty, questions name documents deleted since, the bot has no searchable chunks,
 * none of the expected passages is found in the bot's documents.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import type { EvalConfigResult, EvalRunConfig } from "@docent/contracts/json";
import { getBotById } from "@docent/db/queries/chat-bots";
import {
  completeRun,
  countSearchableChunks,
  type EvalQuestion,
  findStaleQuestions,
  getEvalRunById,
  listEvalQuestions,
  markRunRunning,
  resolveRelevantChunks,
  setRunProgress,
} from "@docent/db/queries/evals";
import type { EvalRetrievedHit } from "@docent/db/schema";
import { AppError } from "@docent/service-kit/errors";
import type { SearchService } from "../retrieval/search";
import { aggregate, configLabel, CUTOFF, type QuestionScore, scoreQuestion } from "./metrics";

/** A failure of the run itself: retrying cannot help; the message is for the admin. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunError";
  }
}

/** The process is stopping: the run goes back to the queue and starts over elsewhere. */
export class RunInterrupted extends Error {
  constructor() {
    super("evaluation run interrupted by shutdown");
    this.name = "RunInterrupted";
  }
}

export interface EvalRunnerDeps {
  db: Database;
  search: Pick<SearchService, "retrieve">;
  logger: Logger;
  /** Questions retrieved at once within a run. */
  concurrency: number;
}

const SNIPPET_CHARS = 240;
const MISS_HITS = 5;
const PROGRESS_EVERY = 50;

async function pool<T>(items: T[], concurrency: number, signal: AbortSignal | undefined, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < items.length) {
        if (signal?.aborted) throw new RunInterrupted();
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

function describeStale(stale: { question: string; documentId: string }[]): string {
  const shown = stale.slice(0, 3).map((s) => `"${s.question.slice(0, 80)}" (document ${s.documentId})`);
  const more = stale.length > 3 ? ` and ${stale.length - 3} more` : "";
  return `${stale.length} question${stale.length === 1 ? " names a document" : "s name documents"} that no longer exist in this bot: ${shown.join(", ")}${more}. Edit or remove ${stale.length === 1 ? "it" : "them"}, then run the set again.`;
}

/** Checks that make a run pointless; the same ones the run route applies before queueing. */
export async function assertRunnable(db: Database, p: { botId: string; setId: string; questionCount: number }) {
  if (p.questionCount === 0) throw new RunError("This evaluation set has no questions yet; add or import some first.");
  const stale = await findStaleQuestions(db, { botId: p.botId, setId: p.setId });
  if (stale.length > 0) throw new RunError(describeStale(stale));
  if ((await countSearchableChunks(db, p.botId)) === 0) {
    throw new RunError("This bot has no processed documents to search; upload documents and wait until they are processed.");
  }
}

export async function executeRun(deps: EvalRunnerDeps, runId: string, signal?: AbortSignal): Promise<"done" | "skipped"> {
  const { db, search, logger } = deps;
  const run = await getEvalRunById(db, runId);
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED") return "skipped";
  const bot = await getBotById(db, run.botId);
  if (!bot) throw new RunError("The bot of this evaluation run was deleted.");
  const questions = await listEvalQuestions(db, run.setId);
  await assertRunnable(db, { botId: bot.id, setId: run.setId, questionCount: questions.length });
  await markRunRunning(db, runId, questions.length);

  const relevant = await resolveRelevantChunks(db, bot.id, questions);
  const judged = questions.filter((q) => (relevant.get(q.id)?.size ?? 0) > 0);
  if (judged.length === 0) {
    throw new RunError(
      "None of the questions' expected passages or chunks is found in the bot's documents (re-indexed or edited since?); check what the questions expect.",
    );
  }
  const unjudged = questions.filter((q) => !judged.includes(q));
  const started = performance.now();
  const results: EvalConfigResult[] = [];
  const misses: Parameters<typeof completeRun>[3] = [];
  let progress = 0;

  for (const [configIndex, config] of (run.configs as EvalRunConfig[]).entries()) {
    const scores: QuestionScore[] = new Array(judged.length);
    let rerankFailures = 0;
    const t0 = performance.now();
    await pool(judged, deps.concurrency, signal, async (q: EvalQuestion, i) => {
      let result;
      try {
        result = await search.retrieve({
          bot,
          query: q.question,
          mode: config.mode,
          topK: CUTOFF,
          minScore: 0,
          ...(config.fusionWeights ? { fusionWeights: config.fusionWeights } : {}),
          ...(config.rerank === undefined ? {} : { rerank: config.rerank }),
        });
      } catch (error) {
        // A client error of retrieval (the embedding model changed, the bot is disabled)
        // fails every question alike: the run fails with its message.
        if (error instanceof AppError && error.statusCode < 500) throw new RunError(error.message);
        throw error;
      }
      if (result.rerank.status === "failed") rerankFailures++;
      const ranked = result.chunks.map((c) => c.chunkId);
      const score = scoreQuestion(ranked, relevant.get(q.id)!);
      scores[i] = score;
      if (score.first < 0) {
        misses.push({ configIndex, questionId: q.id, question: q.question, expected: q.expected, retrieved: hits(result.chunks), kind: "miss" });
      }
      progress++;
      if (progress % PROGRESS_EVERY === 0) await setRunProgress(db, runId, progress);
    });
    for (const q of unjudged) {
      misses.push({ configIndex, questionId: q.id, question: q.question, expected: q.expected, retrieved: [], kind: "unjudged" });
    }
    results.push({
      config,
      label: configLabel(config),
      metrics: aggregate(scores),
      judged: judged.length,
      unjudged: unjudged.length,
      rerankFailures,
      ms: Math.round(performance.now() - t0),
    });
  }
  await completeRun(db, runId, results, misses);
  logger.info(
    { runId, botId: bot.id, questions: questions.length, settings: results.length, ms: Math.round(performance.now() - started) },
    "evaluation run finished",
  );
  return "done";
}

function hits(chunks: { chunkId: string; documentId: string; documentName: string; page: number | null; score: number; content: string }[]): EvalRetrievedHit[] {
  return chunks.slice(0, MISS_HITS).map((c) => ({
    chunkId: c.chunkId,
    documentId: c.documentId,
    documentName: c.documentName,
    page: c.page,
    score: Math.round(c.score * 10_000) / 10_000,
    snippet: c.content.slice(0, SNIPPET_CHARS),
  }));
}

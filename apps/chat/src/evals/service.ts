/**
 * Evaluation sets of a bot and their runs. Questions come typed in, imported (CSV or
 * JSON), from an answer in a conversation (typically a thumbs-down, with the right source
 * picked by the admin) or generated offline from the bot's documents (synthetic). Every
 * expectation must name a live document of the bot (by id, or by name when that is
 * unique), checked when written; a run checks again before it is queued and when it
 * starts (runner.ts), and refuses an empty set or a bot without searchable chunks.
 */
import type { Database } from "@docent/db/client";
import type { EvalExpectation, EvalRunConfig, RetrievalMode } from "@docent/contracts/json";
import type { Bot } from "@docent/db/queries/bots";
import {
  addEvalQuestions,
  countEvalQuestions,
  createEvalRun,
  createEvalSet,
  deleteEvalQuestion,
  deleteEvalSet,
  type EvalRun,
  failRun,
  findActiveRun,
  findMissingChunks,
  findMissingDocuments,
  getAnswerForEval,
  getEvalRun,
  getEvalSet,
  listChunksForQuestions,
  listEvalQuestions,
  listEvalRuns,
  listEvalSets,
  listRunMisses,
  type NewEvalQuestion,
  updateEvalQuestion,
  updateEvalSet,
} from "@docent/db/queries/evals";
import { botDocuments } from "@docent/db/schema";
import { type EvalQueue, enqueueEvalRun } from "@docent/queue/evals";
import { ServiceUnavailableError } from "@docent/service-kit/errors";
import { and, eq, inArray } from "drizzle-orm";
import Papa from "papaparse";
import { ChatError, errors } from "../errors";
import type { Responder } from "../llm/types";
import { generateQuestions, generateWithModel } from "./generate";
import { bestIndex } from "./metrics";
import { assertRunnable, RunError } from "./runner";

/** An expectation as callers write it: a document by id or by (unique) name. */
export interface ExpectationInput {
  documentId?: string | undefined;
  document?: string | undefined;
  chunkId?: string | undefined;
  text?: string | undefined;
}

export interface QuestionInput {
  question: string;
  expected: ExpectationInput[];
}

export interface EvalServiceDeps {
  db: Database;
  /** Null when this service cannot queue runs (tests without Redis queues). */
  queue: EvalQueue | null;
  /** Most questions one set may hold (EVAL_MAX_QUESTIONS). */
  maxQuestions: number;
  /** The workspace's answer model, for model-written questions. */
  responderFor?: (workspaceId: string, botModel: string | null) => Promise<Responder>;
}

/** Model-written questions cost one model call each: fewer per request. */
export const MAX_MODEL_QUESTIONS = 100;

const issue = (index: number, field: string, message: string) => ({ index, field, message });

function invalid(message: string, issues: { index: number; field: string; message: string }[]) {
  const shown = issues.slice(0, 5).map((i) => `question ${i.index + 1}: ${i.field}: ${i.message}`);
  return errors.badRequest(`${message}: ${shown.join("; ")}${issues.length > 5 ? `; and ${issues.length - 5} more` : ""}`, { issues });
}

/** The default comparison: each mode, hybrid with the bot's weights. */
export function defaultConfigs(bot: Bot): EvalRunConfig[] {
  const modes: RetrievalMode[] = ["vector", "keyword", "hybrid"];
  return modes.map((mode) => (mode === "hybrid" ? { mode, fusionWeights: bot.ragConfig.fusionWeights } : { mode }));
}

/** The bot settings that reproduce a run's best setting (for PATCH .../bots/:id). */
export function ragConfigPatchFor(config: EvalRunConfig) {
  return {
    retrievalMode: config.mode,
    ...(config.fusionWeights ? { fusionWeights: config.fusionWeights } : {}),
    ...(config.rerank === undefined ? {} : { rerank: { enabled: config.rerank } }),
  };
}

export function runView(run: EvalRun) {
  const results = run.results ?? null;
  const best = results && results.length > 0 ? bestIndex(results) : null;
  return {
    ...run,
    totalSteps: run.questionCount * run.configs.length,
    best: best === null ? null : { index: best, label: results![best]!.label, config: results![best]!.config, ragConfigPatch: ragConfigPatchFor(results![best]!.config) },
  };
}

export function parseCsvQuestions(content: string): QuestionInput[] {
  const parsed = Papa.parse<Record<string, string>>(content.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes("question")) {
    throw errors.badRequest('The CSV needs a header row with a "question" column and a "document_id" or "document" column (optional: "passage", "chunk_id")', {
      field: "content",
      columns: fields,
    });
  }
  if (!fields.includes("document_id") && !fields.includes("document")) {
    throw errors.badRequest('The CSV needs a "document_id" or "document" (name) column saying where each answer is', { field: "content", columns: fields });
  }
  // Rows with the same question add expectations to it.
  const byQuestion = new Map<string, QuestionInput>();
  for (const row of parsed.data) {
    const question = (row.question ?? "").trim();
    const expectation: ExpectationInput = {
      documentId: row.document_id?.trim() || undefined,
      document: row.document?.trim() || undefined,
      chunkId: row.chunk_id?.trim() || undefined,
      text: row.passage?.trim() || undefined,
    };
    const existing = byQuestion.get(question);
    if (existing && question) existing.expected.push(expectation);
    else byQuestion.set(question || `\u0000${byQuestion.size}`, { question, expected: [expectation] });
  }
  return [...byQuestion.values()];
}

export function parseJsonQuestions(content: string): QuestionInput[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    throw errors.badRequest("The JSON import is not valid JSON", { field: "content" });
  }
  const items = Array.isArray(data) ? data : (data as { questions?: unknown })?.questions;
  if (!Array.isArray(items)) {
    throw errors.badRequest('The JSON import must be an array of { "question", "expected": [{ "documentId" | "document", "text"?, "chunkId"? }] } (or { "questions": [...] })', { field: "content" });
  }
  return items.map((item) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const list = Array.isArray(o.expected) ? o.expected : [o];
    return {
      question: str(o.question) ?? "",
      expected: list.map((e) => {
        const x = (e ?? {}) as Record<string, unknown>;
        return { documentId: str(x.documentId), document: str(x.document), chunkId: str(x.chunkId), text: str(x.text) ?? str(x.passage) };
      }),
    };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createEvalService({ db, queue, maxQuestions, responderFor }: EvalServiceDeps) {
  async function requireSet(bot: Bot, setId: string) {
    const set = await getEvalSet(db, { botId: bot.id, setId });
    if (!set) throw errors.notFound("Evaluation set");
    return set;
  }

  /** Validates questions and resolves document names; throws 400 listing every problem. */
  async function prepare(bot: Bot, items: QuestionInput[]): Promise<{ question: string; expected: EvalExpectation[] }[]> {
    const issues: ReturnType<typeof issue>[] = [];
    const names = [...new Set(items.flatMap((q) => q.expected.map((e) => e.document).filter((n): n is string => Boolean(n))))];
    const named = new Map<string, string[]>();
    if (names.length > 0) {
      const rows = await db
        .select({ id: botDocuments.id, name: botDocuments.name })
        .from(botDocuments)
        .where(and(eq(botDocuments.botId, bot.id), inArray(botDocuments.name, names)));
      for (const r of rows) named.set(r.name, [...(named.get(r.name) ?? []), r.id]);
    }
    const out = items.map((item, index) => {
      const question = item.question.trim();
      if (!question) issues.push(issue(index, "question", "must not be empty"));
      else if (question.length > 2000) issues.push(issue(index, "question", "must be at most 2000 characters"));
      if (item.expected.length === 0) issues.push(issue(index, "expected", "name at least one document where the answer is"));
      if (item.expected.length > 20) issues.push(issue(index, "expected", "at most 20 expectations"));
      const expected: EvalExpectation[] = [];
      for (const e of item.expected) {
        let documentId = e.documentId;
        if (!documentId && e.document) {
          const ids = named.get(e.document) ?? [];
          if (ids.length === 1) documentId = ids[0];
          else issues.push(issue(index, "document", ids.length === 0 ? `no document named "${e.document}" in this bot` : `several documents are named "${e.document}"; use document_id`));
          if (ids.length !== 1) continue;
        }
        if (!documentId) {
          issues.push(issue(index, "expected", "each expectation needs a documentId or a document name"));
          continue;
        }
        if (!UUID.test(documentId)) {
          issues.push(issue(index, "documentId", `"${documentId}" is not a document id`));
          continue;
        }
        if (e.chunkId !== undefined && !UUID.test(e.chunkId)) {
          issues.push(issue(index, "chunkId", `"${e.chunkId}" is not a chunk id`));
          continue;
        }
        const text = e.text?.trim();
        if (text && text.length > 2000) issues.push(issue(index, "text", "must be at most 2000 characters"));
        expected.push({ documentId, ...(e.chunkId ? { chunkId: e.chunkId } : {}), ...(text ? { text } : {}) });
      }
      return { question, expected };
    });
    if (issues.length === 0) {
      const missing = new Set(await findMissingDocuments(db, bot.id, out.flatMap((q) => q.expected.map((e) => e.documentId))));
      const badChunks = new Set(
        await findMissingChunks(db, bot.id, out.flatMap((q) => q.expected.filter((e) => e.chunkId).map((e) => ({ documentId: e.documentId, chunkId: e.chunkId! })))),
      );
      out.forEach((q, index) => {
        for (const e of q.expected) {
          if (missing.has(e.documentId)) issues.push(issue(index, "documentId", `document ${e.documentId} is not a document of this bot (deleted?)`));
          else if (e.chunkId && badChunks.has(e.chunkId)) issues.push(issue(index, "chunkId", `chunk ${e.chunkId} is not a chunk of document ${e.documentId}`));
        }
      });
    }
    if (issues.length > 0) throw invalid(`${issues.length} problem${issues.length === 1 ? "" : "s"} in the questions`, issues);
    return out;
  }

  async function add(bot: Bot, setId: string, rows: NewEvalQuestion[]) {
    const existing = await countEvalQuestions(db, setId);
    if (existing + rows.length > maxQuestions) {
      throw new ChatError("EVAL_SET_TOO_LARGE", 413, `An evaluation set holds at most ${maxQuestions} questions; this one has ${existing} and ${rows.length} more were sent.`, {
        details: { maxQuestions, existing, sent: rows.length },
      });
    }
    return addEvalQuestions(db, setId, rows);
  }

  return {
    requireSet,

    listSets: (bot: Bot) => listEvalSets(db, bot.id),

    async createSet(bot: Bot, createdBy: string | null, input: { name: string; description?: string | null; questions?: QuestionInput[] }) {
      const questions = input.questions?.length ? await prepare(bot, input.questions) : [];
      if (questions.length > maxQuestions) throw new ChatError("EVAL_SET_TOO_LARGE", 413, `An evaluation set holds at most ${maxQuestions} questions`);
      return db.transaction(async (tx) => {
        const set = await createEvalSet(tx, { botId: bot.id, name: input.name, description: input.description ?? null, createdBy });
        await addEvalQuestions(tx, set.id, questions.map((q) => ({ ...q, source: "MANUAL" as const, synthetic: false, sourceMessageId: null })));
        return { ...set, questionCount: questions.length };
      });
    },

    async getSet(bot: Bot, setId: string, page: { limit: number; offset: number }) {
      const set = await requireSet(bot, setId);
      const [questions, total, runs] = await Promise.all([
        listEvalQuestions(db, set.id, page),
        countEvalQuestions(db, set.id),
        listEvalRuns(db, set.id, 20),
      ]);
      return { ...set, questionCount: total, questions, runs: runs.map(runView) };
    },

    async updateSet(bot: Bot, setId: string, patch: { name?: string; description?: string | null }) {
      const updated = await updateEvalSet(db, { botId: bot.id, setId }, patch);
      if (!updated) throw errors.notFound("Evaluation set");
      return updated;
    },

    async deleteSet(bot: Bot, setId: string) {
      if (!(await deleteEvalSet(db, { botId: bot.id, setId }))) throw errors.notFound("Evaluation set");
    },

    async addQuestions(bot: Bot, setId: string, items: QuestionInput[]) {
      await requireSet(bot, setId);
      const prepared = await prepare(bot, items);
      return add(bot, setId, prepared.map((q) => ({ ...q, source: "MANUAL" as const, synthetic: false, sourceMessageId: null })));
    },

    async importQuestions(bot: Bot, setId: string, input: { format: "csv" | "json"; content: string }) {
      await requireSet(bot, setId);
      const items = input.format === "csv" ? parseCsvQuestions(input.content) : parseJsonQuestions(input.content);
      if (items.length === 0) throw errors.badRequest("The import holds no questions", { field: "content" });
      const prepared = await prepare(bot, items);
      const rows = await add(bot, setId, prepared.map((q) => ({ ...q, source: "IMPORT" as const, synthetic: false, sourceMessageId: null })));
      return { imported: rows.length };
    },

    /** A test case from an answer: its question (or an edited one), expecting the source the admin picked. */
    async addFromConversation(bot: Bot, setId: string, input: { messageId: string; question?: string; expected: ExpectationInput[] }) {
      await requireSet(bot, setId);
      const answer = await getAnswerForEval(db, { botId: bot.id, messageId: input.messageId });
      if (!answer) throw new ChatError("MESSAGE_NOT_FOUND", 404, "No answer of this bot has that id", { details: { field: "messageId" } });
      const question = input.question?.trim() || answer.question;
      if (!question) throw errors.badRequest("The answer has no question before it; give the question", { field: "question" });
      const [prepared] = await prepare(bot, [{ question, expected: input.expected }]);
      const [row] = await add(bot, setId, [{ ...prepared!, source: "CONVERSATION", synthetic: false, sourceMessageId: answer.answerId }]);
      return row!;
    },

    async generate(bot: Bot, setId: string, count: number, withModel = false) {
      await requireSet(bot, setId);
      const chunks = await listChunksForQuestions(db, bot.id, 20_000);
      if (chunks.length === 0) {
        throw new ChatError("BOT_HAS_NO_DOCUMENTS", 409, "This bot has no processed documents to make questions from; upload documents first.");
      }
      let generated;
      if (withModel) {
        const responder = responderFor ? await responderFor(bot.workspaceId, bot.modelSettings.model) : null;
        if (!responder || responder.extractive) {
          throw new ChatError("LLM_NOT_CONFIGURED", 409, "No language model is configured for this workspace; generate questions offline (without a model) instead.");
        }
        if (count > MAX_MODEL_QUESTIONS) {
          throw errors.badRequest(`A model writes at most ${MAX_MODEL_QUESTIONS} questions per request`, { field: "count", max: MAX_MODEL_QUESTIONS });
        }
        generated = await generateWithModel(responder, chunks, count);
      } else {
        generated = generateQuestions(chunks, count);
      }
      const rows = await add(bot, setId, generated.map((q) => ({ ...q, source: "GENERATED" as const, synthetic: true, sourceMessageId: null })));
      return { generated: rows.length, synthetic: true, withModel };
    },

    async updateQuestion(bot: Bot, setId: string, questionId: string, input: { question?: string; expected?: ExpectationInput[] }) {
      await requireSet(bot, setId);
      const patch: { question?: string; expected?: EvalExpectation[] } = {};
      if (input.question !== undefined) {
        const question = input.question.trim();
        if (!question || question.length > 2000) throw errors.badRequest("question must be 1 to 2000 characters", { field: "question" });
        patch.question = question;
      }
      if (input.expected !== undefined) {
        const [prepared] = await prepare(bot, [{ question: patch.question ?? "(unchanged)", expected: input.expected }]);
        patch.expected = prepared!.expected;
      }
      if (Object.keys(patch).length === 0) throw errors.badRequest("Nothing to change: send question or expected");
      const row = await updateEvalQuestion(db, { setId, questionId }, patch);
      if (!row) throw errors.notFound("Question");
      return row;
    },

    async deleteQuestion(bot: Bot, setId: string, questionId: string) {
      await requireSet(bot, setId);
      if (!(await deleteEvalQuestion(db, { setId, questionId }))) throw errors.notFound("Question");
    },

    async startRun(bot: Bot, setId: string, createdBy: string | null, configs: EvalRunConfig[] | undefined) {
      const set = await requireSet(bot, setId);
      if (!queue) throw new ServiceUnavailableError("Evaluation runs are not available on this server", { code: "EVALS_UNAVAILABLE", retryable: false });
      const questionCount = await countEvalQuestions(db, set.id);
      try {
        await assertRunnable(db, { botId: bot.id, setId: set.id, questionCount });
      } catch (error) {
        if (!(error instanceof RunError)) throw error;
        const code = questionCount === 0 ? "EVAL_SET_EMPTY" : /no longer exist/.test(error.message) ? "EVAL_SET_STALE" : "BOT_HAS_NO_DOCUMENTS";
        throw new ChatError(code, 409, error.message);
      }
      const active = await findActiveRun(db, set.id);
      if (active) {
        throw new ChatError("EVAL_RUN_ACTIVE", 409, "A run of this set is already queued or running; wait for it to finish.", { details: { runId: active.id } });
      }
      const run = await createEvalRun(db, { setId: set.id, botId: bot.id, configs: configs?.length ? configs : defaultConfigs(bot), questionCount, createdBy });
      try {
        await enqueueEvalRun(queue, { runId: run.id, botId: bot.id });
      } catch (error) {
        await failRun(db, run.id, "The run could not be queued (Redis unavailable); run the set again.").catch(() => {});
        throw error;
      }
      return runView(run);
    },

    listRuns: async (bot: Bot, setId: string) => (await listEvalRuns(db, (await requireSet(bot, setId)).id)).map(runView),

    async getRun(bot: Bot, runId: string) {
      const run = await getEvalRun(db, { botId: bot.id, runId });
      if (!run) throw errors.notFound("Evaluation run");
      return runView(run);
    },

    async misses(bot: Bot, runId: string, page: { configIndex?: number; limit: number; offset: number }) {
      const run = await getEvalRun(db, { botId: bot.id, runId });
      if (!run) throw errors.notFound("Evaluation run");
      return listRunMisses(db, { runId: run.id, ...page });
    },
  };
}

export type EvalService = ReturnType<typeof createEvalService>;

/**
 * Evaluation sets, their questions and runs (schema/eval-sets.ts, eval-runs.ts). Every
 * function is scoped by bot or set; callers have checked the bot belongs to the caller.
 */
import { and, asc, count, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import type { EvalConfigResult, EvalExpectation, EvalRunConfig } from "@docent/contracts/json";
import {
  botDocumentChunks,
  botDocuments,
  conversations,
  type EvalRetrievedHit,
  evalQuestions,
  evalRunMisses,
  evalRuns,
  evalSets,
  messageCitations,
  messages,
} from "../schema";
import { notDeleted } from "./document-deletions";

export type EvalSet = typeof evalSets.$inferSelect;
export type EvalQuestion = typeof evalQuestions.$inferSelect;
export type EvalRun = typeof evalRuns.$inferSelect;
export type EvalRunMiss = typeof evalRunMisses.$inferSelect;
export type NewEvalQuestion = Pick<typeof evalQuestions.$inferInsert, "question" | "expected" | "source" | "synthetic" | "sourceMessageId">;

export async function createEvalSet(db: Executor, p: { botId: string; name: string; description: string | null; createdBy: string | null }) {
  const [row] = await db.insert(evalSets).values(p).returning();
  return row!;
}

export async function getEvalSet(db: Executor, p: { botId: string; setId: string }): Promise<EvalSet | undefined> {
  const [row] = await db.select().from(evalSets).where(and(eq(evalSets.id, p.setId), eq(evalSets.botId, p.botId)));
  return row;
}

export async function updateEvalSet(db: Executor, p: { botId: string; setId: string }, patch: { name?: string; description?: string | null }) {
  const [row] = await db
    .update(evalSets)
    .set(patch)
    .where(and(eq(evalSets.id, p.setId), eq(evalSets.botId, p.botId)))
    .returning();
  return row;
}

export async function deleteEvalSet(db: Executor, p: { botId: string; setId: string }): Promise<boolean> {
  const rows = await db.delete(evalSets).where(and(eq(evalSets.id, p.setId), eq(evalSets.botId, p.botId))).returning({ id: evalSets.id });
  return rows.length > 0;
}

/** The bot's sets with their question counts and latest run, newest first. */
export async function listEvalSets(db: Executor, botId: string) {
  const sets = await db.select().from(evalSets).where(eq(evalSets.botId, botId)).orderBy(desc(evalSets.createdAt));
  if (sets.length === 0) return [];
  const ids = sets.map((s) => s.id);
  const counts = await db
    .select({ setId: evalQuestions.setId, n: count(), synthetic: sql<number>`count(*) filter (where ${evalQuestions.synthetic})::int` })
    .from(evalQuestions)
    .where(inArray(evalQuestions.setId, ids))
    .groupBy(evalQuestions.setId);
  const latest = await db
    .selectDistinctOn([evalRuns.setId])
    .from(evalRuns)
    .where(inArray(evalRuns.setId, ids))
    .orderBy(evalRuns.setId, desc(evalRuns.createdAt));
  const byCount = new Map(counts.map((c) => [c.setId, c]));
  const byRun = new Map(latest.map((r) => [r.setId, r]));
  return sets.map((s) => ({
    ...s,
    questionCount: Number(byCount.get(s.id)?.n ?? 0),
    syntheticCount: Number(byCount.get(s.id)?.synthetic ?? 0),
    latestRun: byRun.get(s.id) ?? null,
  }));
}

export async function addEvalQuestions(db: Executor, setId: string, rows: NewEvalQuestion[]): Promise<EvalQuestion[]> {
  if (rows.length === 0) return [];
  const out: EvalQuestion[] = [];
  // Bounded statements: a 5,000-question import is a few inserts, not one huge one.
  for (let i = 0; i < rows.length; i += 1000) {
    out.push(...(await db.insert(evalQuestions).values(rows.slice(i, i + 1000).map((r) => ({ ...r, setId }))).returning()));
  }
  await db.update(evalSets).set({ updatedAt: new Date() }).where(eq(evalSets.id, setId));
  return out;
}

export async function countEvalQuestions(db: Executor, setId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(evalQuestions).where(eq(evalQuestions.setId, setId));
  return Number(row?.n ?? 0);
}

export async function listEvalQuestions(db: Executor, setId: string, p: { limit?: number; offset?: number } = {}): Promise<EvalQuestion[]> {
  const q = db.select().from(evalQuestions).where(eq(evalQuestions.setId, setId)).orderBy(asc(evalQuestions.createdAt), asc(evalQuestions.id));
  return p.limit === undefined ? q : q.limit(p.limit).offset(p.offset ?? 0);
}

export async function updateEvalQuestion(db: Executor, p: { setId: string; questionId: string }, patch: { question?: string; expected?: EvalExpectation[] }) {
  const [row] = await db
    .update(evalQuestions)
    .set(patch)
    .where(and(eq(evalQuestions.id, p.questionId), eq(evalQuestions.setId, p.setId)))
    .returning();
  return row;
}

export async function deleteEvalQuestion(db: Executor, p: { setId: string; questionId: string }): Promise<boolean> {
  const rows = await db
    .delete(evalQuestions)
    .where(and(eq(evalQuestions.id, p.questionId), eq(evalQuestions.setId, p.setId)))
    .returning({ id: evalQuestions.id });
  return rows.length > 0;
}

/** Of these ids, those that are not live documents of the bot (unknown, another bot's, or deleted). */
export async function findMissingDocuments(db: Executor, botId: string, documentIds: string[]): Promise<string[]> {
  const unique = [...new Set(documentIds)];
  if (unique.length === 0) return [];
  const live = await db
    .select({ id: botDocuments.id })
    .from(botDocuments)
    .where(and(eq(botDocuments.botId, botId), inArray(botDocuments.id, unique), notDeleted()));
  const found = new Set(live.map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}

/** Of these ids, those that are not chunks of the named documents. */
export async function findMissingChunks(db: Executor, botId: string, pairs: { documentId: string; chunkId: string }[]): Promise<string[]> {
  if (pairs.length === 0) return [];
  const rows = await db
    .select({ id: botDocumentChunks.id, documentId: botDocumentChunks.documentId })
    .from(botDocumentChunks)
    .where(and(eq(botDocumentChunks.botId, botId), inArray(botDocumentChunks.id, [...new Set(pairs.map((p) => p.chunkId))])));
  const docOf = new Map(rows.map((r) => [r.id, r.documentId]));
  return pairs.filter((p) => docOf.get(p.chunkId) !== p.documentId).map((p) => p.chunkId);
}

/** Searchable chunks of the bot's live documents. */
export async function countSearchableChunks(db: Executor, botId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(botDocumentChunks)
    .where(and(eq(botDocumentChunks.botId, botId), notDeleted(botDocumentChunks.documentId)));
  return Number(row?.n ?? 0);
}

/**
 * The chunks that count as relevant for each question, in one statement: per expectation,
 * the named chunk, or the document's chunks holding the passage (whitespace-insensitive),
 * or every chunk of the document.
 */
export async function resolveRelevantChunks(
  db: Executor,
  botId: string,
  questions: { id: string; expected: EvalExpectation[] }[],
): Promise<Map<string, Set<string>>> {
  const qIds: string[] = [];
  const docIds: string[] = [];
  const chunkIds: (string | null)[] = [];
  const texts: (string | null)[] = [];
  for (const q of questions) {
    for (const e of q.expected) {
      qIds.push(q.id);
      docIds.push(e.documentId);
      chunkIds.push(e.chunkId ?? null);
      texts.push(e.text ? e.text.replace(/\s+/g, " ").trim() : null);
    }
  }
  const out = new Map<string, Set<string>>(questions.map((q) => [q.id, new Set<string>()]));
  if (qIds.length === 0) return out;
  const rows = await db.execute<{ question_id: string; chunk_id: string }>(sql`
    with e as materialized (
      select * from unnest(${pgArray(qIds)}::uuid[], ${pgArray(docIds)}::uuid[], ${pgArray(chunkIds)}::uuid[], ${pgArray(texts)}::text[])
        as t(question_id, document_id, chunk_id, passage)
    ),
    -- Each chunk's text with runs of whitespace as one space, computed once per chunk
    -- (not once per question: a 10,000-question set names the same chunks many times).
    c as materialized (
      select c.id, c.document_id, regexp_replace(c.content, ${WHITESPACE_RUN}, ' ', 'g') as text
      from bot_document_chunks c
      where c.bot_id = ${botId} and c.document_id in (select distinct document_id from e)
    )
    select distinct e.question_id, c.id as chunk_id
    from e
    join c on c.document_id = e.document_id
    where (e.chunk_id is null or c.id = e.chunk_id)
      and (e.passage is null or strpos(c.text, e.passage) > 0)`);
  for (const r of rows) out.get(r.question_id)?.add(r.chunk_id);
  return out;
}

/**
 * What JavaScript's \s matches, as a Postgres regular expression: Postgres' \s leaves out
 * the no-break and other Unicode spaces, which extracted text (PDF, HTML) is full of.
 */
const WHITESPACE_RUN = "[\\s\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+";

/** A Postgres array literal for unnest (values are uuids or free text, quoted). */
function pgArray(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)).join(",")}}`;
}

/** Questions of the set naming a document that is gone, with the documents. */
export async function findStaleQuestions(db: Executor, p: { botId: string; setId: string }) {
  const rows = await db.execute<{ id: string; question: string; document_id: string }>(sql`
    select q.id, q.question, e ->> 'documentId' as document_id
    from eval_questions q
    cross join lateral jsonb_array_elements(q.expected) e
    where q.set_id = ${p.setId}
      and not exists (
        select 1 from bot_documents d
        where d.id = (e ->> 'documentId')::uuid and d.bot_id = ${p.botId}
          and not exists (select 1 from bot_document_deletions x where x.document_id = d.id)
      )
    order by q.created_at`);
  return rows.map((r) => ({ questionId: r.id, question: r.question, documentId: r.document_id }));
}

// Runs -------------------------------------------------------------------------------

export async function createEvalRun(
  db: Executor,
  p: { setId: string; botId: string; configs: EvalRunConfig[]; questionCount: number; createdBy: string | null },
): Promise<EvalRun> {
  const [row] = await db.insert(evalRuns).values(p).returning();
  return row!;
}

export async function getEvalRun(db: Executor, p: { botId: string; runId: string }): Promise<EvalRun | undefined> {
  const [row] = await db.select().from(evalRuns).where(and(eq(evalRuns.id, p.runId), eq(evalRuns.botId, p.botId)));
  return row;
}

export async function getEvalRunById(db: Executor, runId: string): Promise<EvalRun | undefined> {
  const [row] = await db.select().from(evalRuns).where(eq(evalRuns.id, runId));
  return row;
}

export async function listEvalRuns(db: Executor, setId: string, limit = 50): Promise<EvalRun[]> {
  return db.select().from(evalRuns).where(eq(evalRuns.setId, setId)).orderBy(desc(evalRuns.createdAt)).limit(limit);
}

/** A run that has not finished (queued or running) on the set, if any. */
export async function findActiveRun(db: Executor, setId: string): Promise<EvalRun | undefined> {
  const [row] = await db
    .select()
    .from(evalRuns)
    .where(and(eq(evalRuns.setId, setId), inArray(evalRuns.status, ["QUEUED", "RUNNING"])))
    .limit(1);
  return row;
}

export async function markRunRunning(db: Executor, runId: string, questionCount: number) {
  await db
    .update(evalRuns)
    .set({ status: "RUNNING", startedAt: new Date(), progress: 0, questionCount, error: null })
    .where(eq(evalRuns.id, runId));
}

export async function setRunProgress(db: Executor, runId: string, progress: number) {
  await db.update(evalRuns).set({ progress }).where(and(eq(evalRuns.id, runId), eq(evalRuns.status, "RUNNING")));
}

/** Back to the queue (the process stopped half-way); the next attempt starts over. */
export async function requeueRun(db: Executor, runId: string) {
  await db.update(evalRuns).set({ status: "QUEUED", progress: 0 }).where(eq(evalRuns.id, runId));
}

export async function failRun(db: Executor, runId: string, error: string) {
  await db.update(evalRuns).set({ status: "FAILED", error, finishedAt: new Date() }).where(eq(evalRuns.id, runId));
}

/** Results and misses in one transaction with SUCCEEDED: a run is complete or it has no results. */
export async function completeRun(
  db: Executor,
  runId: string,
  results: EvalConfigResult[],
  misses: { configIndex: number; questionId: string; question: string; expected: EvalExpectation[]; retrieved: EvalRetrievedHit[]; kind: "miss" | "unjudged" }[],
) {
  await db.transaction(async (tx) => {
    await tx.delete(evalRunMisses).where(eq(evalRunMisses.runId, runId));
    for (let i = 0; i < misses.length; i += 1000) {
      await tx.insert(evalRunMisses).values(misses.slice(i, i + 1000).map((m) => ({ ...m, runId })));
    }
    await tx
      .update(evalRuns)
      .set({ status: "SUCCEEDED", results, error: null, finishedAt: new Date(), progress: sql`${evalRuns.questionCount} * jsonb_array_length(${evalRuns.configs})` })
      .where(eq(evalRuns.id, runId));
  });
}

export async function listRunMisses(db: Executor, p: { runId: string; configIndex?: number; limit: number; offset: number }): Promise<EvalRunMiss[]> {
  const where = p.configIndex === undefined ? eq(evalRunMisses.runId, p.runId) : and(eq(evalRunMisses.runId, p.runId), eq(evalRunMisses.configIndex, p.configIndex));
  return db.select().from(evalRunMisses).where(where).orderBy(asc(evalRunMisses.configIndex), asc(evalRunMisses.id)).limit(p.limit).offset(p.offset);
}

// Sources of questions --------------------------------------------------------------

/**
 * An answer of the bot with the question it answered and the documents it cited: the
 * material for a test case made from a conversation (usually a thumbs-down).
 */
export async function getAnswerForEval(db: Executor, p: { botId: string; messageId: string }) {
  const [answer] = await db
    .select({ id: messages.id, conversationId: messages.conversationId, content: messages.content, createdAt: messages.createdAt, role: messages.role })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, p.messageId), eq(conversations.botId, p.botId)));
  if (!answer || answer.role !== "ASSISTANT") return undefined;
  const [question] = await db
    .select({ content: messages.content })
    .from(messages)
    .where(and(eq(messages.conversationId, answer.conversationId), eq(messages.role, "USER"), lte(messages.createdAt, answer.createdAt)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const cited = await db
    .select({ documentId: messageCitations.documentId, chunkId: messageCitations.chunkId })
    .from(messageCitations)
    .where(eq(messageCitations.messageId, answer.id));
  return { answerId: answer.id, question: question?.content ?? null, answer: answer.content, cited };
}

/** Chunks of the bot's live documents to form synthetic questions from, in document order. */
export async function listChunksForQuestions(db: Executor, botId: string, limit: number) {
  return db
    .select({
      id: botDocumentChunks.id,
      documentId: botDocumentChunks.documentId,
      documentName: botDocuments.name,
      chunkIndex: botDocumentChunks.chunkIndex,
      content: botDocumentChunks.content,
      metadata: botDocumentChunks.metadata,
    })
    .from(botDocumentChunks)
    .innerJoin(botDocuments, eq(botDocuments.id, botDocumentChunks.documentId))
    .where(and(eq(botDocumentChunks.botId, botId), notDeleted(botDocumentChunks.documentId)))
    .orderBy(asc(botDocuments.createdAt), asc(botDocumentChunks.documentId), asc(botDocumentChunks.chunkIndex))
    .limit(limit);
}

/**
 * Curated answers of a bot. Every function takes the bot id, so a curated answer of
 * another bot (or tenant) reads as missing; the caller has authorised the bot.
 */
import { and, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { curatedAnswers } from "../schema";
import { vectorLiteral } from "./retrieval";

export type CuratedAnswer = typeof curatedAnswers.$inferSelect;
/** A curated answer without its embedding (what lists and the API show). */
export type CuratedAnswerRow = Omit<CuratedAnswer, "embedding">;

const columns = {
  id: curatedAnswers.id,
  botId: curatedAnswers.botId,
  question: curatedAnswers.question,
  answer: curatedAnswers.answer,
  embeddingModel: curatedAnswers.embeddingModel,
  enabled: curatedAnswers.enabled,
  hitCount: curatedAnswers.hitCount,
  lastHitAt: curatedAnswers.lastHitAt,
  createdBy: curatedAnswers.createdBy,
  updatedBy: curatedAnswers.updatedBy,
  createdAt: curatedAnswers.createdAt,
  updatedAt: curatedAnswers.updatedAt,
};

export async function listCuratedAnswers(
  db: Executor,
  params: { botId: string; limit: number; offset: number; search?: string },
): Promise<{ items: CuratedAnswerRow[]; total: number }> {
  const pattern = params.search ? `%${params.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = and(
    eq(curatedAnswers.botId, params.botId),
    pattern ? or(ilike(curatedAnswers.question, pattern), ilike(curatedAnswers.answer, pattern)) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select(columns)
      .from(curatedAnswers)
      .where(where)
      .orderBy(desc(curatedAnswers.createdAt), desc(curatedAnswers.id))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(curatedAnswers).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getCuratedAnswer(
  db: Executor,
  params: { botId: string; id: string },
): Promise<CuratedAnswerRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(curatedAnswers)
    .where(and(eq(curatedAnswers.botId, params.botId), eq(curatedAnswers.id, params.id)));
  return row;
}

export async function insertCuratedAnswer(
  db: Executor,
  input: {
    botId: string;
    question: string;
    answer: string;
    embedding: number[];
    embeddingModel: string;
    enabled: boolean;
    createdBy: string | null;
  },
): Promise<CuratedAnswerRow> {
  const [row] = await db
    .insert(curatedAnswers)
    .values({ ...input, updatedBy: input.createdBy })
    .returning(columns);
  return row!;
}

export async function updateCuratedAnswer(
  db: Executor,
  params: { botId: string; id: string },
  patch: Partial<Pick<CuratedAnswer, "question" | "answer" | "enabled" | "embedding" | "embeddingModel" | "updatedBy">>,
): Promise<CuratedAnswerRow | undefined> {
  const [row] = await db
    .update(curatedAnswers)
    .set(patch)
    .where(and(eq(curatedAnswers.botId, params.botId), eq(curatedAnswers.id, params.id)))
    .returning(columns);
  return row;
}

export async function deleteCuratedAnswer(db: Executor, params: { botId: string; id: string }): Promise<boolean> {
  const rows = await db
    .delete(curatedAnswers)
    .where(and(eq(curatedAnswers.botId, params.botId), eq(curatedAnswers.id, params.id)))
    .returning({ id: curatedAnswers.id });
  return rows.length > 0;
}

/** Whether the bot has an enabled curated answer embedded by `embeddingModel` (cheap: lets keyword-mode answers skip embedding). */
export async function hasEnabledCuratedAnswers(db: Executor, params: { botId: string; embeddingModel: string }): Promise<boolean> {
  const rows = await db
    .select({ id: curatedAnswers.id })
    .from(curatedAnswers)
    .where(
      and(
        eq(curatedAnswers.botId, params.botId),
        eq(curatedAnswers.enabled, true),
        eq(curatedAnswers.embeddingModel, params.embeddingModel),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/**
 * The bot's enabled curated answer whose question is nearest to `embedding` (cosine),
 * among those embedded by the same model. A bot holds few curated answers, so the
 * distances are computed exactly over the bot's rows (btree on bot_id).
 */
export async function findNearestCuratedAnswer(
  db: Executor,
  params: { botId: string; embedding: number[]; embeddingModel: string },
): Promise<{ id: string; question: string; answer: string; similarity: number } | undefined> {
  const q = vectorLiteral(params.embedding);
  const rows = await db.execute<{ id: string; question: string; answer: string; distance: number | string }>(sql`
    select id, question, answer, (embedding <=> ${q}::vector) as distance
    from ${curatedAnswers}
    where bot_id = ${params.botId} and enabled and embedding_model = ${params.embeddingModel}
    order by distance, id
    limit 1`);
  const row = rows[0];
  if (!row) return undefined;
  return { id: row.id, question: row.question, answer: row.answer, similarity: 1 - Number(row.distance) };
}

/** Counts one more question answered by the curated answer (atomic increment). */
export async function recordCuratedHit(db: Executor, params: { botId: string; id: string; at: Date }): Promise<void> {
  await db
    .update(curatedAnswers)
    .set({ hitCount: sql`${curatedAnswers.hitCount} + 1`, lastHitAt: params.at, updatedAt: sql`${curatedAnswers.updatedAt}` })
    .where(and(eq(curatedAnswers.botId, params.botId), eq(curatedAnswers.id, params.id)));
}

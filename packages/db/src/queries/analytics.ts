/** Analytics written by the chat service: one query log per answer, feedback, per-document counts. */
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { analyticsFeedback, analyticsQueryLogs, documentRetrievalStats, usageCounters } from "../schema";

export type QueryLogInput = typeof analyticsQueryLogs.$inferInsert;

export async function insertQueryLog(db: Executor, input: QueryLogInput): Promise<{ id: string }> {
  const [row] = await db.insert(analyticsQueryLogs).values(input).returning({ id: analyticsQueryLogs.id });
  return row!;
}

export async function getQueryLogByMessage(db: Executor, messageId: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: analyticsQueryLogs.id })
    .from(analyticsQueryLogs)
    .where(eq(analyticsQueryLogs.messageId, messageId));
  return row;
}

/** One feedback per answer; a second call edits it. */
export async function upsertFeedback(
  db: Executor,
  input: { queryLogId: string; rating: 1 | -1; comment: string | null },
): Promise<{ rating: number; comment: string | null; createdAt: Date; updatedAt: Date }> {
  const [row] = await db
    .insert(analyticsFeedback)
    .values(input)
    .onConflictDoUpdate({
      target: analyticsFeedback.queryLogId,
      set: { rating: input.rating, comment: input.comment, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/**
 * Adds one retrieval to every retrieved document and one citation to every cited one
 * (each document counted once per answer).
 */
export async function recordDocumentRetrievals(
  db: Executor,
  params: { botId: string; retrieved: string[]; cited: string[]; at?: Date },
): Promise<void> {
  const docs = [...new Set([...params.retrieved, ...params.cited])].sort();
  if (docs.length === 0) return;
  const cited = new Set(params.cited);
  const retrieved = new Set(params.retrieved);
  const at = params.at ?? new Date();
  await db
    .insert(documentRetrievalStats)
    .values(
      docs.map((documentId) => ({
        documentId,
        botId: params.botId,
        retrievalCount: retrieved.has(documentId) ? 1 : 0,
        citationCount: cited.has(documentId) ? 1 : 0,
        lastRetrievedAt: at,
      })),
    )
    .onConflictDoUpdate({
      target: documentRetrievalStats.documentId,
      set: {
        retrievalCount: sql`${documentRetrievalStats.retrievalCount} + excluded.retrieval_count`,
        citationCount: sql`${documentRetrievalStats.citationCount} + excluded.citation_count`,
        lastRetrievedAt: at,
        updatedAt: at,
      },
    });
}

/**
 * Counts one query against this month's allowance if it is below `max`, in one atomic
 * upsert (no lock, no race between concurrent chats). Returns the count before this
 * query, or null when the allowance is used up.
 */
export async function reserveMonthlyQuery(
  db: Executor,
  params: { workspaceId: string; periodStart: string; max: number },
): Promise<{ used: number } | null> {
  if (params.max <= 0) return null;
  const rows = await db.execute<{ queries: number }>(sql`
    insert into ${usageCounters} (workspace_id, period_start, queries)
    values (${params.workspaceId}, ${params.periodStart}, 1)
    on conflict (workspace_id, period_start) do update
      set queries = ${usageCounters}.queries + 1, updated_at = now()
      where ${usageCounters}.queries < ${params.max}
    returning queries`);
  const row = rows[0];
  return row ? { used: Number(row.queries) - 1 } : null;
}

/** The count of this month's queries (for the error message when the allowance is used up). */
export async function getMonthlyQueries(db: Executor, workspaceId: string, periodStart: string): Promise<number> {
  const [row] = await db
    .select({ queries: usageCounters.queries })
    .from(usageCounters)
    .where(sql`${usageCounters.workspaceId} = ${workspaceId} and ${usageCounters.periodStart} = ${periodStart}`);
  return row?.queries ?? 0;
}

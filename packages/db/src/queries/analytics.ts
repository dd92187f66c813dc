/** Analytics written by the chat service: one query log per answer, feedback, per-document counts. */
import { eq, type SQL, sql } from "drizzle-orm";
import { type Database, type Executor, executeWithAsyncCommit } from "../client";
import {
  analyticsFeedback,
  analyticsQueryLogs,
  botDocuments,
  documentRetrievalStats,
  messageCitations,
} from "../schema";
import { getMonthlyUsage, reserveMonthlyUsage } from "./usage";

/** `topicId` may be an SQL scalar (queries/topics `topicForQuestion`), chosen within the insert. */
export type QueryLogInput = Omit<typeof analyticsQueryLogs.$inferInsert, "topicId"> & {
  topicId?: string | null | SQL<string | null>;
};

export async function insertQueryLog(db: Executor, input: QueryLogInput): Promise<{ id: string }> {
  const [row] = await db.insert(analyticsQueryLogs).values(input).returning({ id: analyticsQueryLogs.id });
  return row!;
}

/**
 * A query log that nothing else is written with (a search API call): one statement that
 * commits without waiting for the disk (`executeWithAsyncCommit`).
 */
export async function insertQueryLogAsyncCommit(db: Database, input: QueryLogInput): Promise<{ id: string }> {
  const [row] = await executeWithAsyncCommit<{ id: string }>(
    db,
    db.insert(analyticsQueryLogs).values(input).returning({ id: analyticsQueryLogs.id }),
  );
  return row!;
}

export async function getQueryLogByMessage(db: Executor, messageId: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: analyticsQueryLogs.id })
    .from(analyticsQueryLogs)
    .where(eq(analyticsQueryLogs.messageId, messageId));
  return row;
}

/**
 * One feedback row per answer; a second call edits it. Thumbs (`rating`) and `stars` are
 * set independently: a call without one keeps the other's stored value. The comment is
 * the call's (null when it gives none), as before stars existed: a later rating replaces
 * the comment too.
 */
export async function upsertFeedback(
  db: Executor,
  input: { queryLogId: string; rating?: 1 | -1; stars?: number; comment?: string | null },
): Promise<{ rating: number | null; stars: number | null; comment: string | null; createdAt: Date; updatedAt: Date }> {
  const set: Partial<typeof analyticsFeedback.$inferInsert> = { updatedAt: new Date() };
  if (input.rating !== undefined) set.rating = input.rating;
  if (input.stars !== undefined) set.stars = input.stars;
  set.comment = input.comment ?? null;
  const [row] = await db
    .insert(analyticsFeedback)
    .values({
      queryLogId: input.queryLogId,
      rating: input.rating ?? null,
      stars: input.stars ?? null,
      comment: input.comment ?? null,
    })
    .onConflictDoUpdate({ target: analyticsFeedback.queryLogId, set })
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
 * Counts one answered question against this month's allowance if it is below `max` (null:
 * no limit); see `reserveMonthlyUsage`. Returns the count before this question, or null
 * when the allowance is used up.
 */
export function reserveMonthlyQuery(
  db: Database,
  params: { workspaceId: string; periodStart: string; max: number | null },
): Promise<{ used: number } | null> {
  return reserveMonthlyUsage(db, { ...params, counter: "queries" });
}

/** The count of this month's questions (for the error message when the allowance is used up). */
export function getMonthlyQueries(db: Executor, workspaceId: string, periodStart: string): Promise<number> {
  return getMonthlyUsage(db, { workspaceId, periodStart, counter: "queries" });
}

export interface AnalyticsVolume {
  /** Answered questions (latency, tokens and feedback are theirs). */
  queries: number;
  /** Search API calls (`POST /v1/bots/:botId/retrieve`). */
  retrievals: number;
  p50Ms: number | null;
  p95Ms: number | null;
  tokensIn: number;
  tokensOut: number;
  up: number;
  down: number;
}

export interface BotAnalytics {
  daily: (AnalyticsVolume & { date: string })[];
  totals: AnalyticsVolume;
  topDocuments: { documentId: string; name: string; count: number }[];
  unanswered: { question: string; count: number; lastAskedAt: string; topScore: number | null }[];
  stars: { distribution: { stars: number; count: number }[]; count: number; average: number | null };
}

export interface BotAnalyticsParams {
  botId: string;
  /** First and last UTC day (YYYY-MM-DD), both inclusive. */
  from: string;
  to: string;
  /** A question whose best retrieval score is below this found no good source. */
  weakScore: number;
  topDocumentsLimit?: number;
  unansweredLimit?: number;
}

type VolumeRow = {
  queries: number | string;
  retrievals: number | string;
  p50: number | string | null;
  p95: number | string | null;
  tokens_in: number | string;
  tokens_out: number | string;
  up: number | string;
  down: number | string;
};

const nullableMs = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));
const volumeOf = (r: VolumeRow): AnalyticsVolume => ({
  queries: Number(r.queries),
  retrievals: Number(r.retrievals),
  p50Ms: nullableMs(r.p50),
  p95Ms: nullableMs(r.p95),
  tokensIn: Number(r.tokens_in),
  tokensOut: Number(r.tokens_out),
  up: Number(r.up),
  down: Number(r.down),
});

/**
 * Everything the analytics screen shows for one bot over whole UTC days: per-day volume
 * (questions, and search API calls apart), the questions' latency percentiles, tokens and
 * feedback (days without questions included as zeros), the period's totals, the most cited documents and the questions with no good source.
 */
export async function getBotAnalytics(db: Executor, params: BotAnalyticsParams): Promise<BotAnalytics> {
  const start = `${params.from}T00:00:00Z`;
  const end = new Date(Date.parse(`${params.to}T00:00:00Z`) + 86_400_000).toISOString();
  const logs = sql`
    select l.id, l.kind, l.message_id, l.created_at, l.response_time_ms, l.input_tokens, l.output_tokens, f.rating, f.stars
    from ${analyticsQueryLogs} l
    left join ${analyticsFeedback} f on f.query_log_id = l.id
    where l.bot_id = ${params.botId} and l.created_at >= ${start}::timestamptz and l.created_at < ${end}::timestamptz`;
  const volume = sql`
    count(logs.id) filter (where logs.kind = 'answer')::int as queries,
    count(logs.id) filter (where logs.kind = 'retrieval')::int as retrievals,
    percentile_cont(0.5) within group (order by logs.response_time_ms) filter (where logs.kind = 'answer') as p50,
    percentile_cont(0.95) within group (order by logs.response_time_ms) filter (where logs.kind = 'answer') as p95,
    coalesce(sum(logs.input_tokens), 0)::bigint as tokens_in,
    coalesce(sum(logs.output_tokens), 0)::bigint as tokens_out,
    count(*) filter (where logs.rating = 1)::int as up,
    count(*) filter (where logs.rating = -1)::int as down`;

  const [daily, totals, topDocuments, unanswered, stars] = await Promise.all([
    db.execute<VolumeRow & { date: string }>(sql`
      with logs as (${logs})
      select to_char(d.day, 'YYYY-MM-DD') as date, ${volume}
      from generate_series(${params.from}::timestamp, ${params.to}::timestamp, interval '1 day') as d(day)
      left join logs on (logs.created_at at time zone 'UTC')::date = d.day::date
      group by d.day
      order by d.day`),
    db.execute<VolumeRow>(sql`with logs as (${logs}) select ${volume} from logs`),
    db.execute<{ document_id: string; name: string; count: number | string }>(sql`
      with logs as (${logs})
      select c.document_id, d.name, count(distinct c.message_id)::int as count
      from logs
      join ${messageCitations} c on c.message_id = logs.message_id
      join ${botDocuments} d on d.id = c.document_id and d.bot_id = ${params.botId}
      group by c.document_id, d.name
      order by count desc, d.name
      limit ${params.topDocumentsLimit ?? 10}`),
    db.execute<{ question: string; count: number | string; last_asked_at: Date | string; top_score: number | null }>(sql`
      select
        (array_agg(l.query_text order by l.created_at desc))[1] as question,
        count(*)::int as count,
        max(l.created_at) as last_asked_at,
        max(l.top_score) as top_score
      from ${analyticsQueryLogs} l
      where l.bot_id = ${params.botId} and l.created_at >= ${start}::timestamptz and l.created_at < ${end}::timestamptz
        and l.kind = 'answer' and l.curated_answer_id is null
        and (l.source_documents_count = 0 or l.top_score is null or l.top_score < ${params.weakScore})
      group by lower(btrim(l.query_text))
      order by count desc, last_asked_at desc
      limit ${params.unansweredLimit ?? 10}`),
    db.execute<{ stars: number; count: number | string }>(sql`
      with logs as (${logs})
      select s.stars, count(logs.id)::int as count
      from generate_series(1, 5) as s(stars)
      left join logs on logs.stars = s.stars and logs.kind = 'answer'
      group by s.stars
      order by s.stars`),
  ]);
  const distribution = stars.map((r) => ({ stars: Number(r.stars), count: Number(r.count) }));
  const starCount = distribution.reduce((n, r) => n + r.count, 0);
  const starSum = distribution.reduce((n, r) => n + r.stars * r.count, 0);

  return {
    daily: daily.map((r) => ({ date: r.date, ...volumeOf(r) })),
    totals: volumeOf(totals[0]!),
    topDocuments: topDocuments.map((r) => ({ documentId: r.document_id, name: r.name, count: Number(r.count) })),
    unanswered: unanswered.map((r) => ({
      question: r.question,
      count: Number(r.count),
      lastAskedAt: new Date(r.last_asked_at).toISOString(),
      topScore: r.top_score === null ? null : Number(r.top_score),
    })),
    stars: {
      distribution,
      count: starCount,
      average: starCount === 0 ? null : Math.round((starSum / starCount) * 100) / 100,
    },
  };
}

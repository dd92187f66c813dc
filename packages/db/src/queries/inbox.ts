/**
 * The unanswered-questions inbox: a bot's answered questions over a period that were
 * refused (the bot's refusal text), found no good source, or were rated down (thumbs
 * down or at most two stars), and that no admin has marked handled yet.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { analyticsFeedback, analyticsQueryLogs, messages } from "../schema";

export interface InboxQuestion {
  queryLogId: string;
  question: string;
  createdAt: Date;
  embedding: number[] | null;
  embeddingModel: string | null;
  refused: boolean;
  noGoodSource: boolean;
  ratedDown: boolean;
}

export async function listInboxQuestions(
  db: Executor,
  params: { botId: string; start: Date; end: Date; weakScore: number; refusalText: string; limit: number },
): Promise<InboxQuestion[]> {
  const rows = await db.execute<{
    id: string;
    query_text: string;
    created_at: Date | string;
    question_embedding: string | null;
    question_embedding_model: string | null;
    refused: boolean;
    no_good_source: boolean;
    rated_down: boolean;
  }>(sql`
    select * from (
      select l.id, l.query_text, l.created_at, l.question_embedding::text, l.question_embedding_model,
        coalesce(m.content = ${params.refusalText} or (m.metadata->>'refused')::boolean, false) as refused,
        (l.curated_answer_id is null
          and (l.source_documents_count = 0 or l.top_score is null or l.top_score < ${params.weakScore})) as no_good_source,
        coalesce(f.rating = -1 or f.stars <= 2, false) as rated_down
      from ${analyticsQueryLogs} l
      left join ${messages} m on m.id = l.message_id
      left join ${analyticsFeedback} f on f.query_log_id = l.id
      where l.bot_id = ${params.botId} and l.kind = 'answer' and l.handled_at is null
        and l.created_at >= ${params.start.toISOString()}::timestamptz and l.created_at < ${params.end.toISOString()}::timestamptz
    ) q
    where q.refused or q.no_good_source or q.rated_down
    order by q.created_at desc, q.id
    limit ${params.limit}`);
  return rows.map((r) => ({
    queryLogId: r.id,
    question: r.query_text,
    createdAt: new Date(r.created_at),
    embedding: r.question_embedding ? (JSON.parse(r.question_embedding) as number[]) : null,
    embeddingModel: r.question_embedding_model,
    refused: r.refused,
    noGoodSource: r.no_good_source,
    ratedDown: r.rated_down,
  }));
}

/** Stores embeddings computed for questions logged without one, so the next inbox view reuses them. */
export async function setQuestionEmbeddings(
  db: Executor,
  params: { botId: string; embeddingModel: string; rows: { queryLogId: string; embedding: number[] }[] },
): Promise<void> {
  for (const row of params.rows) {
    await db
      .update(analyticsQueryLogs)
      .set({ questionEmbedding: row.embedding, questionEmbeddingModel: params.embeddingModel })
      .where(and(eq(analyticsQueryLogs.botId, params.botId), eq(analyticsQueryLogs.id, row.queryLogId)));
  }
}

/** Marks the bot's questions handled; ids of other bots are ignored. Returns how many were open. */
export async function markQuestionsHandled(
  db: Executor,
  params: { botId: string; queryLogIds: string[]; at: Date },
): Promise<number> {
  if (params.queryLogIds.length === 0) return 0;
  const rows = await db
    .update(analyticsQueryLogs)
    .set({ handledAt: params.at })
    .where(
      and(
        eq(analyticsQueryLogs.botId, params.botId),
        inArray(analyticsQueryLogs.id, params.queryLogIds),
        isNull(analyticsQueryLogs.handledAt),
      ),
    )
    .returning({ id: analyticsQueryLogs.id });
  return rows.length;
}


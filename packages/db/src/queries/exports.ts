/**
 * Streamed exports (issue #17): a bot's conversations over a range of UTC days, one row
 * per message with its citations, feedback and topic, read through a postgres.js cursor
 * in batches of `batchRows`, so an export of any size holds one batch in memory. The
 * caller checks the bot belongs to the principal's workspace; every row is scoped to it.
 */
import type postgres from "postgres";

export interface ConversationExportRow {
  conversation_id: string;
  channel: string;
  /** ISO 8601, UTC. */
  started_at: string;
  message_id: string;
  role: string;
  created_at: string;
  content: string;
  /** The question's topic: on the answer's row (its query log) and on the question's. */
  topic: string | null;
  /** +1 / -1 on answers; null when not rated. */
  feedback: number | null;
  feedback_comment: string | null;
  citations: { index: number; documentId: string | null; documentName: string | null; score: number; quote: string }[];
}

export interface ExportRange {
  botId: string;
  /** First and last UTC day (YYYY-MM-DD), both inclusive: conversations started in it. */
  from: string;
  to: string;
}

export function dayRange({ from, to }: { from: string; to: string }) {
  return { start: `${from}T00:00:00Z`, end: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() };
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Batches of at most `batchRows` rows, oldest conversation first, messages in order. */
export function streamConversationRows(
  sql: postgres.Sql,
  params: ExportRange,
  batchRows: number,
): AsyncIterable<ConversationExportRow[]> {
  const { start, end } = dayRange(params);
  const iso = (column: string) => sql.unsafe(`to_char(${column} at time zone 'UTC', ${ISO_UTC})`);
  return sql<ConversationExportRow[]>`
    select c.id as conversation_id, c.channel, ${iso("c.started_at")} as started_at, m.id as message_id, m.role,
      ${iso("m.created_at")} as created_at, m.content,
      t.name as topic, f.rating as feedback, f.comment as feedback_comment,
      coalesce((
        select json_agg(json_build_object(
          'index', mc.rank, 'documentId', mc.document_id, 'documentName', d.name, 'score', mc.score, 'quote', mc.quote)
          order by mc.rank)
        from message_citations mc left join bot_documents d on d.id = mc.document_id and d.bot_id = c.bot_id
        where mc.message_id = m.id), '[]'::json) as citations
    from conversations c
    join messages m on m.conversation_id = c.id
    left join analytics_query_logs l on l.message_id = m.id and l.bot_id = c.bot_id
    left join analytics_feedback f on f.query_log_id = l.id
    left join chatbot_topics t on t.bot_id = c.bot_id and t.id = coalesce(l.topic_id, case when m.role = 'USER' then (
      -- a question's topic is on the query log of the answer that followed it
      select l2.topic_id from messages a join analytics_query_logs l2 on l2.message_id = a.id
      where a.conversation_id = m.conversation_id and a.role = 'ASSISTANT' and a.created_at > m.created_at
      order by a.created_at limit 1) end)
    where c.bot_id = ${params.botId} and c.started_at >= ${start}::timestamptz and c.started_at < ${end}::timestamptz
    order by c.started_at, c.id, m.created_at, m.id`.cursor(batchRows);
}

/**
 * Conversation topics (issue #17): definitions, assignment of a question to at most one
 * topic, re-assignment after an edit, the daily aggregation into chatbot_topic_stats and
 * the per-topic series analytics shows. Every function is scoped by bot id; callers have
 * already checked the bot belongs to the principal's workspace.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { analyticsFeedback, analyticsQueryLogs, bots, chatbotTopics, chatbotTopicStats, messages } from "../schema";

export type Topic = typeof chatbotTopics.$inferSelect;
export type TopicRow = Omit<Topic, "centroid" | "embeddingModel">;

const publicColumns = {
  id: chatbotTopics.id,
  botId: chatbotTopics.botId,
  name: chatbotTopics.name,
  color: chatbotTopics.color,
  description: chatbotTopics.description,
  examples: chatbotTopics.examples,
  createdAt: chatbotTopics.createdAt,
  updatedAt: chatbotTopics.updatedAt,
};

export function listTopics(db: Executor, botId: string): Promise<TopicRow[]> {
  return db.select(publicColumns).from(chatbotTopics).where(eq(chatbotTopics.botId, botId)).orderBy(asc(chatbotTopics.name));
}

export async function getTopic(db: Executor, params: { botId: string; topicId: string }): Promise<TopicRow | undefined> {
  const [row] = await db
    .select(publicColumns)
    .from(chatbotTopics)
    .where(and(eq(chatbotTopics.botId, params.botId), eq(chatbotTopics.id, params.topicId)));
  return row;
}

export interface TopicWrite {
  name: string;
  color: string;
  description: string;
  examples: string[];
  centroid: number[];
  embeddingModel: string;
}

export async function topicNameTaken(db: Executor, params: { botId: string; name: string; exceptId?: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: chatbotTopics.id })
    .from(chatbotTopics)
    .where(
      and(
        eq(chatbotTopics.botId, params.botId),
        sql`lower(${chatbotTopics.name}) = lower(${params.name})`,
        params.exceptId ? sql`${chatbotTopics.id} <> ${params.exceptId}` : undefined,
      ),
    );
  return Boolean(row);
}

export async function insertTopic(db: Executor, botId: string, input: TopicWrite): Promise<TopicRow> {
  const [row] = await db.insert(chatbotTopics).values({ botId, ...input }).returning(publicColumns);
  return row!;
}

export async function updateTopic(
  db: Executor,
  params: { botId: string; topicId: string },
  input: TopicWrite,
): Promise<TopicRow | undefined> {
  const [row] = await db
    .update(chatbotTopics)
    .set(input)
    .where(and(eq(chatbotTopics.botId, params.botId), eq(chatbotTopics.id, params.topicId)))
    .returning(publicColumns);
  return row;
}

export async function deleteTopic(db: Executor, params: { botId: string; topicId: string }): Promise<boolean> {
  const rows = await db
    .delete(chatbotTopics)
    .where(and(eq(chatbotTopics.botId, params.botId), eq(chatbotTopics.id, params.topicId)))
    .returning({ id: chatbotTopics.id });
  return rows.length > 0;
}

export async function setTopicThreshold(db: Executor, botId: string, threshold: number): Promise<void> {
  await db.update(bots).set({ topicThreshold: threshold }).where(eq(bots.id, botId));
}

const vectorLiteral = (v: readonly number[]) => `[${v.join(",")}]`;

/**
 * The topic of a question, as an SQL scalar for the query log's insert (so assignment
 * costs no extra round trip): the topic of the bot whose centroid is nearest to the
 * question's embedding, if its cosine similarity reaches the bot's threshold; null
 * otherwise, and for topics whose centroid came from another embedding model.
 */
export function topicForQuestion(params: { botId: string; embedding: readonly number[]; model: string }): SQL<string | null> {
  const q = sql`${vectorLiteral(params.embedding)}::vector`;
  return sql<string | null>`(
    select t.id from ${chatbotTopics} t
    join ${bots} b on b.id = t.bot_id
    where t.bot_id = ${params.botId} and t.embedding_model = ${params.model}
      and 1 - (t.centroid <=> ${q}) >= b.topic_threshold
    order by t.centroid <=> ${q}, t.id
    limit 1)`;
}

/**
 * Recomputes the topic of the bot's questions asked since `since` from their stored
 * embeddings (after a topic was created, edited or deleted, or the threshold changed);
 * one statement. Returns how many questions were looked at.
 */
export async function reassignTopics(db: Executor, params: { botId: string; since: Date }): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    update ${analyticsQueryLogs} l set topic_id = (
      select t.id from ${chatbotTopics} t
      where t.bot_id = l.bot_id and t.embedding_model = l.question_embedding_model
        and 1 - (t.centroid <=> l.question_embedding) >= b.topic_threshold
      order by t.centroid <=> l.question_embedding, t.id
      limit 1)
    from ${bots} b
    where b.id = l.bot_id and l.bot_id = ${params.botId} and l.kind = 'answer'
      and l.created_at >= ${params.since.toISOString()}::timestamptz
      and l.question_embedding is not null
    returning l.id`);
  return rows.length;
}

/**
 * An answer's rating on a 1-5 scale, for the topics' average rating: its stars (seed 002)
 * when given, else its thumbs (up counts as 5, down as 1).
 */
const ratingOnFiveScale = sql`coalesce(f.stars, case f.rating when 1 then 5 when -1 then 1 end)`;

/**
 * A question counts as unanswered when the bot replied with its refusal text (strict mode
 * with no supporting passage, or the model declining) or retrieval found no good source
 * (no document, or a best score below `weakScore`, the analytics screen's rule); a
 * curated answer cites no document but is an answer.
 */
const unansweredWhen = (weakScore: number) => sql`(
  (l.curated_answer_id is null and (l.source_documents_count = 0 or l.top_score is null or l.top_score < ${weakScore}))
  or m.content = b.model_settings->>'refusalText')`;

/**
 * Recomputes one bot's topic statistics for one UTC day from the query logs and upserts
 * them; rows of topics without questions that day (any more) are removed. One
 * transaction, so running it twice, or concurrently with itself, leaves the same rows.
 */
export async function aggregateTopicDay(
  db: Database,
  params: { botId: string; day: string; weakScore: number },
): Promise<number> {
  const start = `${params.day}T00:00:00Z`;
  return db.transaction(async (tx) => {
    // Serialises runs for the same (bot, day): the delete below must see the upsert's rows.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`topic-stats:${params.botId}:${params.day}`}))`);
    const rows = await tx.execute<{ topic_id: string }>(sql`
      insert into ${chatbotTopicStats}
        (topic_id, bot_id, day, messages, conversations, thumbs_up, thumbs_down, avg_rating, unanswered, updated_at)
      select l.topic_id, l.bot_id, ${params.day}::date,
        count(*)::int,
        count(distinct l.conversation_id)::int,
        count(*) filter (where f.rating = 1)::int,
        count(*) filter (where f.rating = -1)::int,
        avg(${ratingOnFiveScale})::real,
        count(*) filter (where ${unansweredWhen(params.weakScore)})::int,
        now()
      from ${analyticsQueryLogs} l
      join ${bots} b on b.id = l.bot_id
      left join ${messages} m on m.id = l.message_id
      left join ${analyticsFeedback} f on f.query_log_id = l.id
      where l.bot_id = ${params.botId} and l.kind = 'answer' and l.topic_id is not null
        and l.created_at >= ${start}::timestamptz and l.created_at < ${start}::timestamptz + interval '1 day'
      group by l.topic_id, l.bot_id
      on conflict (topic_id, day) do update set
        messages = excluded.messages, conversations = excluded.conversations,
        thumbs_up = excluded.thumbs_up, thumbs_down = excluded.thumbs_down,
        avg_rating = excluded.avg_rating, unanswered = excluded.unanswered, updated_at = excluded.updated_at
      returning topic_id`);
    const kept = rows.map((r) => r.topic_id);
    await tx.execute(sql`
      delete from ${chatbotTopicStats}
      where bot_id = ${params.botId} and day = ${params.day}::date
        ${kept.length ? sql`and topic_id not in ${kept}` : sql``}`);
    return kept.length;
  });
}

/** Bots with answered questions on a UTC day: the daily job aggregates each of them. */
export async function botsWithQuestionsOn(db: Executor, day: string): Promise<string[]> {
  const start = `${day}T00:00:00Z`;
  const rows = await db.execute<{ bot_id: string }>(sql`
    select distinct bot_id from ${analyticsQueryLogs}
    where kind = 'answer' and created_at >= ${start}::timestamptz and created_at < ${start}::timestamptz + interval '1 day'
    union
    select distinct bot_id from ${chatbotTopicStats} where day = ${day}::date`);
  return rows.map((r) => r.bot_id);
}

export interface TopicSeriesDay {
  date: string;
  messages: number;
  conversations: number;
  thumbsUp: number;
  thumbsDown: number;
  avgRating: number | null;
  unanswered: number;
}

/** Each topic of the bot with one entry per day of the range (zeros on days without questions). */
export async function getTopicSeries(
  db: Executor,
  params: { botId: string; from: string; to: string },
): Promise<{ topicId: string; name: string; color: string; daily: TopicSeriesDay[] }[]> {
  const rows = await db.execute<{
    topic_id: string;
    name: string;
    color: string;
    date: string;
    messages: number | null;
    conversations: number | null;
    thumbs_up: number | null;
    thumbs_down: number | null;
    avg_rating: number | null;
    unanswered: number | null;
  }>(sql`
    select t.id as topic_id, t.name, t.color, to_char(d.day, 'YYYY-MM-DD') as date,
      s.messages, s.conversations, s.thumbs_up, s.thumbs_down, s.avg_rating, s.unanswered
    from ${chatbotTopics} t
    cross join generate_series(${params.from}::date, ${params.to}::date, interval '1 day') as d(day)
    left join ${chatbotTopicStats} s on s.topic_id = t.id and s.day = d.day::date and s.bot_id = ${params.botId}
    where t.bot_id = ${params.botId}
    order by t.name, t.id, d.day`);
  const topics = new Map<string, { topicId: string; name: string; color: string; daily: TopicSeriesDay[] }>();
  for (const r of rows) {
    let topic = topics.get(r.topic_id);
    if (!topic) topics.set(r.topic_id, (topic = { topicId: r.topic_id, name: r.name, color: r.color, daily: [] }));
    topic.daily.push({
      date: r.date,
      messages: r.messages ?? 0,
      conversations: r.conversations ?? 0,
      thumbsUp: r.thumbs_up ?? 0,
      thumbsDown: r.thumbs_down ?? 0,
      avgRating: r.avg_rating === null ? null : Number(r.avg_rating),
      unanswered: r.unanswered ?? 0,
    });
  }
  return [...topics.values()];
}

/** The bot's most recent unassigned questions with their embeddings (for suggestions). */
export async function listUnassignedQuestions(
  db: Executor,
  params: { botId: string; since: Date; model: string; limit: number },
): Promise<{ text: string; embedding: number[] }[]> {
  const rows = await db
    .select({ text: analyticsQueryLogs.queryText, embedding: analyticsQueryLogs.questionEmbedding })
    .from(analyticsQueryLogs)
    .where(
      and(
        eq(analyticsQueryLogs.botId, params.botId),
        eq(analyticsQueryLogs.kind, "answer"),
        sql`${analyticsQueryLogs.topicId} is null`,
        eq(analyticsQueryLogs.questionEmbeddingModel, params.model),
        sql`${analyticsQueryLogs.createdAt} >= ${params.since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(sql`${analyticsQueryLogs.createdAt} desc`)
    .limit(params.limit);
  return rows.filter((r): r is { text: string; embedding: number[] } => r.embedding !== null);
}

/**
 * Conversations of a bot, per channel, with the filters the admin app lists them by.
 * Every lookup takes the bot id, so another bot's conversation reads as missing.
 */
import { and, desc, eq, gte, isNotNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  analyticsFeedback,
  analyticsQueryLogs,
  botDocumentChunks,
  botDocuments,
  bots,
  conversations,
  messageCitations,
  messages,
} from "../schema";

export type Conversation = typeof conversations.$inferSelect;
export type ConversationChannel = Conversation["channel"];

export async function createConversation(
  db: Executor,
  input: {
    /** Chosen by the caller when the id is announced before the row is written. */
    id?: string;
    botId: string;
    channel: ConversationChannel;
    visitorId?: string | null;
    userId?: string | null;
    apiKeyId?: string | null;
    title?: string | null;
    metadata?: Record<string, unknown>;
  },
): Promise<Conversation> {
  const [row] = await db
    .insert(conversations)
    .values({
      ...(input.id ? { id: input.id } : {}),
      botId: input.botId,
      channel: input.channel,
      visitorId: input.visitorId ?? null,
      userId: input.userId ?? null,
      apiKeyId: input.apiKeyId ?? null,
      title: input.title ?? null,
      metadata: input.metadata ?? {},
    })
    .returning();
  return row!;
}

export async function getConversation(
  db: Executor,
  params: { botId: string; conversationId: string },
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.botId, params.botId), eq(conversations.id, params.conversationId)));
  return row;
}

export async function touchConversation(db: Executor, conversationId: string, at = new Date()): Promise<void> {
  await db.update(conversations).set({ lastMessageAt: at }).where(eq(conversations.id, conversationId));
}

export type FeedbackFilter = "positive" | "negative" | "any" | "none";

export interface ConversationSummary {
  id: string;
  channel: ConversationChannel;
  title: string | null;
  visitorId: string | null;
  startedAt: Date;
  lastMessageAt: Date;
  messageCount: number;
  positiveFeedback: number;
  negativeFeedback: number;
  handoffRequestedAt: Date | null;
}

/** Newest first; `before` is the keyset cursor (the last row's `startedAt`). */
export async function listConversations(
  db: Executor,
  params: {
    botId: string;
    channel?: ConversationChannel;
    from?: Date;
    to?: Date;
    feedback?: FeedbackFilter;
    /** Only conversations whose visitor asked for a person. */
    handoffRequested?: boolean;
    limit: number;
    before?: Date;
  },
): Promise<ConversationSummary[]> {
  // Written with explicit aliases: inside select() drizzle renders columns unqualified,
  // which would be ambiguous in these correlated subqueries.
  // A rating is positive with a thumbs up or 4-5 stars, negative with a thumbs down or
  // 1-2 stars (as the unanswered-questions inbox reads them).
  const sentiment = { positive: sql`(f.rating = 1 or f.stars >= 4)`, negative: sql`(f.rating = -1 or f.stars <= 2)` };
  const feedbackCount = (kind: keyof typeof sentiment) => sql<number>`(
    select count(*)::int from analytics_query_logs l
    join analytics_feedback f on f.query_log_id = l.id
    where l.conversation_id = conversations.id and ${sentiment[kind]})`;
  const feedbackExists = (kind?: keyof typeof sentiment) => sql`exists (
    select 1 from analytics_query_logs l
    join analytics_feedback f on f.query_log_id = l.id
    where l.conversation_id = ${conversations.id}
    ${kind === undefined ? sql`` : sql`and ${sentiment[kind]}`})`;
  const feedbackWhere = {
    positive: feedbackExists("positive"),
    negative: feedbackExists("negative"),
    any: feedbackExists(),
    none: sql`not ${feedbackExists()}`,
  };
  const rows = await db
    .select({
      id: conversations.id,
      channel: conversations.channel,
      title: conversations.title,
      visitorId: conversations.visitorId,
      startedAt: conversations.startedAt,
      lastMessageAt: conversations.lastMessageAt,
      messageCount: sql<number>`(select count(*)::int from messages m where m.conversation_id = conversations.id)`,
      positiveFeedback: feedbackCount("positive"),
      negativeFeedback: feedbackCount("negative"),
      handoffRequestedAt: conversations.handoffRequestedAt,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.botId, params.botId),
        params.channel ? eq(conversations.channel, params.channel) : undefined,
        params.from ? gte(conversations.startedAt, params.from) : undefined,
        params.to ? lt(conversations.startedAt, params.to) : undefined,
        params.before ? lt(conversations.startedAt, params.before) : undefined,
        params.feedback ? feedbackWhere[params.feedback] : undefined,
        params.handoffRequested ? isNotNull(conversations.handoffRequestedAt) : undefined,
      ),
    )
    .orderBy(desc(conversations.startedAt), desc(conversations.id))
    .limit(params.limit);
  return rows;
}

export interface TranscriptMessage {
  id: string;
  role: "USER" | "ASSISTANT" | "SYSTEM";
  content: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  /** Same shape as the chat endpoints' citations; document fields are null once deleted. */
  citations: {
    index: number;
    chunkId: string | null;
    documentId: string | null;
    documentName: string | null;
    page: number | null;
    headingPath: string[];
    score: number;
    quote: string;
  }[];
  feedback: { rating: number | null; stars: number | null; comment: string | null } | null;
}

/** All messages of a conversation, oldest first, with citations and feedback. */
export async function getTranscript(db: Executor, conversationId: string): Promise<TranscriptMessage[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(messages.createdAt, messages.id);
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const citations = await db
    .select({
      messageId: messageCitations.messageId,
      rank: messageCitations.rank,
      chunkId: messageCitations.chunkId,
      documentId: messageCitations.documentId,
      documentName: botDocuments.name,
      metadata: botDocumentChunks.metadata,
      score: messageCitations.score,
      quote: messageCitations.quote,
    })
    .from(messageCitations)
    .leftJoin(botDocuments, eq(botDocuments.id, messageCitations.documentId))
    .leftJoin(botDocumentChunks, eq(botDocumentChunks.id, messageCitations.chunkId))
    .where(sql`${messageCitations.messageId} in ${ids}`)
    .orderBy(messageCitations.rank);
  const feedback = await db
    .select({ messageId: analyticsQueryLogs.messageId, rating: analyticsFeedback.rating, stars: analyticsFeedback.stars, comment: analyticsFeedback.comment })
    .from(analyticsQueryLogs)
    .innerJoin(analyticsFeedback, eq(analyticsFeedback.queryLogId, analyticsQueryLogs.id))
    .where(sql`${analyticsQueryLogs.messageId} in ${ids}`);
  return rows.map((m) => ({
    id: m.id,
    role: m.role,
    content: m.content,
    metadata: m.metadata as Record<string, unknown>,
    createdAt: m.createdAt,
    citations: citations
      .filter((c) => c.messageId === m.id)
      .map((c) => ({
        index: c.rank,
        chunkId: c.chunkId,
        documentId: c.documentId,
        documentName: c.documentName,
        page: c.metadata?.page ?? null,
        headingPath: c.metadata?.headingPath ?? [],
        score: c.score,
        quote: c.quote,
      })),
    feedback: (() => {
      const f = feedback.find((x) => x.messageId === m.id);
      return f ? { rating: f.rating, stars: f.stars, comment: f.comment } : null;
    })(),
  }));
}

/** Marks the bot as used now (the admin app sorts and flags idle bots by it). */
export async function touchBotActivity(db: Executor, botId: string, at = new Date()): Promise<void> {
  await db.update(bots).set({ lastActivityAt: at }).where(eq(bots.id, botId));
}

/**
 * Records a visitor's request for a person on their widget conversation, once: the first
 * request's time and note stay. `first` says whether this call recorded it (only then is
 * the event sent). Undefined when the conversation is not this bot's widget chat with
 * this visitor.
 */
export async function requestHandoff(
  db: Executor,
  params: { botId: string; conversationId: string; visitorId: string; note: string | null; at?: Date },
): Promise<{ handoffRequestedAt: Date; first: boolean } | undefined> {
  const mine = and(
    eq(conversations.botId, params.botId),
    eq(conversations.id, params.conversationId),
    eq(conversations.channel, "widget"),
    eq(conversations.visitorId, params.visitorId),
  );
  const [updated] = await db
    .update(conversations)
    .set({ handoffRequestedAt: params.at ?? new Date(), handoffNote: params.note })
    .where(and(mine, sql`${conversations.handoffRequestedAt} is null`))
    .returning({ handoffRequestedAt: conversations.handoffRequestedAt });
  if (updated?.handoffRequestedAt) return { handoffRequestedAt: updated.handoffRequestedAt, first: true };
  const [existing] = await db.select({ handoffRequestedAt: conversations.handoffRequestedAt }).from(conversations).where(mine);
  return existing?.handoffRequestedAt ? { handoffRequestedAt: existing.handoffRequestedAt, first: false } : undefined;
}

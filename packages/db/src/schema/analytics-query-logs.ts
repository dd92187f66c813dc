import { relations } from "drizzle-orm";
import { index, integer, pgTable, real, text, timestamp, uuid, varchar, vector } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { analyticsFeedback } from "./analytics-feedback";
import { EMBEDDING_DIMENSIONS } from "./bot-document-chunks";
import { bots } from "./bots";
import { chatbotTopics } from "./chatbot-topics";
import { conversations } from "./conversations";
import { curatedAnswers } from "./curated-answers";
import { conversationChannel, modelProvider, queryKind } from "./enums";
import { messages } from "./messages";
import { users } from "./users";

/**
 * One row per answered question (seed 000), the basis of every analytics chart, and one
 * per search API call (`kind` = retrieval: no conversation, message, model or tokens).
 */
export const analyticsQueryLogs = pgTable(
  "analytics_query_logs",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    conversationId: uuid().references(() => conversations.id, { onDelete: "set null" }),
    /** The assistant message that answered. */
    messageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    queryingUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    sessionId: varchar({ length: 255 }),
    channel: conversationChannel().notNull(),
    kind: queryKind().default("answer").notNull(),
    queryText: text().notNull(),
    llmModelUsed: varchar({ length: 200 }),
    llmProviderUsed: modelProvider(),
    responseTimeMs: integer(),
    sourceDocumentsCount: integer().default(0).notNull(),
    /** Best retrieval score of the question; low values flag questions with no good source. */
    topScore: real(),
    /** The curated answer that answered instead of retrieval (null: a generated answer). */
    curatedAnswerId: uuid().references(() => curatedAnswers.id, { onDelete: "set null" }),
    /** When an admin marked the question handled in the inbox (null: still open). */
    handledAt: timestamp({ withTimezone: true }),
    inputTokens: integer(),
    outputTokens: integer(),
    /** The question's topic (at most one), set in the same insert; see queries/topics. */
    topicId: uuid().references(() => chatbotTopics.id, { onDelete: "set null" }),
    /**
     * The question's embedding as retrieval computed it (answers only), kept so topics can
     * be re-assigned and unassigned questions clustered without embedding them again.
     */
    questionEmbedding: vector({ dimensions: EMBEDDING_DIMENSIONS }),
    questionEmbeddingModel: varchar({ length: 200 }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.botId, t.createdAt.desc()),
    index().on(t.queryingUserId),
    index().on(t.sessionId),
    index().on(t.llmProviderUsed),
    index().on(t.messageId),
    index().on(t.botId, t.topicId, t.createdAt),
  ],
);

export const analyticsQueryLogsRelations = relations(analyticsQueryLogs, ({ one }) => ({
  bot: one(bots, { fields: [analyticsQueryLogs.botId], references: [bots.id] }),
  feedback: one(analyticsFeedback),
}));

import { relations } from "drizzle-orm";
import { index, integer, pgTable, real, text, timestamp, uuid, varchar, vector } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { analyticsFeedback } from "./analytics-feedback";
import { bots } from "./bots";
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
    /**
     * The question's embedding as the answer path computed it (null when it embedded
     * nothing, e.g. keyword mode with no curated answers); the unanswered-questions inbox
     * groups questions by it. `questionEmbeddingModel` says which embedder made it.
     */
    questionEmbedding: vector({ dimensions: 768 }),
    questionEmbeddingModel: varchar({ length: 200 }),
    /** The curated answer that answered instead of retrieval (null: a generated answer). */
    curatedAnswerId: uuid().references(() => curatedAnswers.id, { onDelete: "set null" }),
    /** When an admin marked the question handled in the inbox (null: still open). */
    handledAt: timestamp({ withTimezone: true }),
    inputTokens: integer(),
    outputTokens: integer(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.botId, t.createdAt.desc()),
    index().on(t.queryingUserId),
    index().on(t.sessionId),
    index().on(t.llmProviderUsed),
    index().on(t.messageId),
  ],
);

export const analyticsQueryLogsRelations = relations(analyticsQueryLogs, ({ one }) => ({
  bot: one(bots, { fields: [analyticsQueryLogs.botId], references: [bots.id] }),
  feedback: one(analyticsFeedback),
}));

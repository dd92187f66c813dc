import { relations, sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, unique, uuid, varchar, vector } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { EMBEDDING_DIMENSIONS } from "./bot-document-chunks";
import { bots } from "./bots";
import { chatbotTopicStats } from "./chatbot-topic-stats";

/**
 * Topics an admin defines per bot (seed 001). Every answered question is tagged with at
 * most one of them: the topic whose centroid is closest to the question's embedding, when
 * the cosine similarity reaches the bot's `topic_threshold`.
 */
export const chatbotTopics = pgTable(
  "chatbot_topics",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    name: varchar({ length: 80 }).notNull(),
    /** "#rrggbb", lower-case. */
    color: varchar({ length: 7 }).notNull(),
    description: text().default("").notNull(),
    /** Example questions (string[]), at most TOPIC_MAX_EXAMPLES (contracts/topics). */
    examples: jsonb().$type<string[]>().default([]).notNull(),
    /**
     * Mean of the unit embeddings of the description and each example, re-normalised;
     * recomputed on every edit with the workspace's embedder, whose id is kept beside it so
     * a question embedded by another model is never compared with it.
     */
    centroid: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    embeddingModel: varchar({ length: 200 }).notNull(),
    ...timestamps(),
  },
  (t) => [
    unique().on(t.botId, t.name),
    index().on(t.botId),
    check("chatbot_topics_color", sql`${t.color} ~ '^#[0-9a-f]{6}$'`),
  ],
);

export const chatbotTopicsRelations = relations(chatbotTopics, ({ one, many }) => ({
  bot: one(bots, { fields: [chatbotTopics.botId], references: [bots.id] }),
  stats: many(chatbotTopicStats),
}));

import { relations } from "drizzle-orm";
import { date, index, integer, pgTable, primaryKey, real, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";
import { bots } from "./bots";
import { chatbotTopics } from "./chatbot-topics";

/**
 * One row per (topic, UTC day) with questions that day (seed 001), written only by the
 * worker's daily aggregation, which recomputes a whole (bot, day) and upserts it, so
 * running it twice gives the same rows.
 */
export const chatbotTopicStats = pgTable(
  "chatbot_topic_stats",
  {
    topicId: uuid()
      .notNull()
      .references(() => chatbotTopics.id, { onDelete: "cascade" }),
    /** Denormalised so a bot's series is read without joining the topics. */
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    messages: integer().notNull(),
    conversations: integer().notNull(),
    thumbsUp: integer().notNull(),
    thumbsDown: integer().notNull(),
    /** Mean rating on a 1-5 scale of the rated answers; null when none was rated. */
    avgRating: real(),
    /** Questions refused or with no good source (see aggregation in queries/topics). */
    unanswered: integer().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.day] }), index().on(t.botId, t.day)],
);

export const chatbotTopicStatsRelations = relations(chatbotTopicStats, ({ one }) => ({
  topic: one(chatbotTopics, { fields: [chatbotTopicStats.topicId], references: [chatbotTopics.id] }),
}));

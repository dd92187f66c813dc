import { relations, sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uuid, varchar, vector } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { bots } from "./bots";
import { users } from "./users";

/**
 * An answer an admin wrote for a question (per bot). A later question whose embedding is
 * close enough (the bot's `modelSettings.curatedThreshold`, cosine) gets `answer` instead
 * of a generated one. `embedding` is the question's, made by the workspace's embedder
 * (`embeddingModel`); rows of another model are never compared.
 */
export const curatedAnswers = pgTable(
  "curated_answers",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    question: text().notNull(),
    answer: text().notNull(),
    embedding: vector({ dimensions: 768 }).notNull(),
    embeddingModel: varchar({ length: 200 }).notNull(),
    enabled: boolean().default(true).notNull(),
    hitCount: integer().default(0).notNull(),
    lastHitAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.botId, t.createdAt.desc()),
    check("curated_answers_question_length", sql`char_length(${t.question}) between 1 and 2000`),
    check("curated_answers_answer_length", sql`char_length(${t.answer}) between 1 and 10000`),
  ],
);

export const curatedAnswersRelations = relations(curatedAnswers, ({ one }) => ({
  bot: one(bots, { fields: [curatedAnswers.botId], references: [bots.id] }),
}));

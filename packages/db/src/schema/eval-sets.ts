import { relations } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import type { EvalExpectation } from "@docent/contracts/json";
import { createdAt, id, timestamps } from "./_columns";
import { bots } from "./bots";
import { evalQuestionSource } from "./enums";
import { messages } from "./messages";
import { users } from "./users";

/** A bot's evaluation set: questions with what retrieval should find for each. */
export const evalSets = pgTable(
  "eval_sets",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    name: varchar({ length: 255 }).notNull(),
    description: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [index().on(t.botId)],
);

export const evalQuestions = pgTable(
  "eval_questions",
  {
    id: id(),
    setId: uuid()
      .notNull()
      .references(() => evalSets.id, { onDelete: "cascade" }),
    question: text().notNull(),
    /**
     * What retrieval should find (`evalExpectationSchema`): documents, optionally a chunk
     * or a passage each. Documents are ids of the bot's documents, checked when written
     * and again when a run starts (a deleted document makes the run fail, naming it).
     */
    expected: jsonb().$type<EvalExpectation[]>().notNull(),
    source: evalQuestionSource().notNull(),
    /** Made from the bot's documents (headings, key sentences) rather than asked by a person. */
    synthetic: boolean().default(false).notNull(),
    /** The answer (thumbs-down) a CONVERSATION question was made from. */
    sourceMessageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.setId, t.createdAt)],
);

export const evalSetsRelations = relations(evalSets, ({ one, many }) => ({
  bot: one(bots, { fields: [evalSets.botId], references: [bots.id] }),
  questions: many(evalQuestions),
}));

export const evalQuestionsRelations = relations(evalQuestions, ({ one }) => ({
  set: one(evalSets, { fields: [evalQuestions.setId], references: [evalSets.id] }),
}));

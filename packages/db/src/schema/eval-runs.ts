import { relations } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import type { EvalConfigResult, EvalExpectation, EvalRunConfig } from "@docent/contracts/json";
import { createdAt, id } from "./_columns";
import { bots } from "./bots";
import { evalRunStatus } from "./enums";
import { evalQuestions, evalSets } from "./eval-sets";
import { users } from "./users";

/**
 * One run of an evaluation set: every question in every retrieval setting asked for. The
 * results are written once, with SUCCEEDED, when the whole run is done; a run that fails
 * writes only its error, so earlier runs' results stay as they were.
 */
export const evalRuns = pgTable(
  "eval_runs",
  {
    id: id(),
    setId: uuid()
      .notNull()
      .references(() => evalSets.id, { onDelete: "cascade" }),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    status: evalRunStatus().default("QUEUED").notNull(),
    /** The settings to score (`evalRunConfigSchema`). */
    configs: jsonb().$type<EvalRunConfig[]>().notNull(),
    /** Per setting, in `configs` order: metrics, counts, time. Null until SUCCEEDED. */
    results: jsonb().$type<EvalConfigResult[]>(),
    questionCount: integer().default(0).notNull(),
    /** Questions scored so far, over all settings (for the progress bar). */
    progress: integer().default(0).notNull(),
    /** Why the run failed, written for the admin. */
    error: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.setId, t.createdAt), index().on(t.botId)],
);

/**
 * Questions a run's setting missed (no relevant chunk in the top 10), with what was
 * expected and what came back, so an admin can see why.
 */
export const evalRunMisses = pgTable(
  "eval_run_misses",
  {
    id: id(),
    runId: uuid()
      .notNull()
      .references(() => evalRuns.id, { onDelete: "cascade" }),
    /** Index of the setting in the run's `configs`. */
    configIndex: integer().notNull(),
    questionId: uuid().references(() => evalQuestions.id, { onDelete: "set null" }),
    /** Copied so the miss stays readable after the question is edited or deleted. */
    question: text().notNull(),
    expected: jsonb().$type<EvalExpectation[]>().notNull(),
    /** The top results: `{ chunkId, documentId, documentName, page, score, snippet }[]`. */
    retrieved: jsonb().$type<EvalRetrievedHit[]>().notNull(),
    /** "unjudged" when no chunk matches what the question expects (it was not scored). */
    kind: varchar({ length: 16 }).default("miss").notNull(),
  },
  (t) => [index().on(t.runId, t.configIndex)],
);

export interface EvalRetrievedHit {
  chunkId: string;
  documentId: string;
  documentName: string;
  page: number | null;
  score: number;
  snippet: string;
}

export const evalRunsRelations = relations(evalRuns, ({ one, many }) => ({
  set: one(evalSets, { fields: [evalRuns.setId], references: [evalSets.id] }),
  misses: many(evalRunMisses),
}));

export const evalRunMissesRelations = relations(evalRunMisses, ({ one }) => ({
  run: one(evalRuns, { fields: [evalRunMisses.runId], references: [evalRuns.id] }),
}));

import { relations } from "drizzle-orm";
import { bigint, date, integer, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";
import { workspaces } from "./workspaces";

/**
 * Monthly usage per workspace, incremented atomically (INSERT ... ON CONFLICT DO UPDATE)
 * where the work happens, so quota checks read one row instead of counting logs.
 */
export const usageCounters = pgTable(
  "usage_counters",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** First day of the calendar month (UTC) the counts belong to. */
    periodStart: date().notNull(),
    /** Answered questions (every channel). */
    queries: integer().default(0).notNull(),
    /** Calls of the search API (`POST /v1/bots/:botId/retrieve`). */
    retrievals: integer().default(0).notNull(),
    processingJobs: integer().default(0).notNull(),
    inputTokens: bigint({ mode: "number" }).default(0).notNull(),
    outputTokens: bigint({ mode: "number" }).default(0).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.periodStart] })],
);

export const usageCountersRelations = relations(usageCounters, ({ one }) => ({
  workspace: one(workspaces, { fields: [usageCounters.workspaceId], references: [workspaces.id] }),
}));

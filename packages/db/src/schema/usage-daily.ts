import { bigint, date, index, pgTable, primaryKey, uuid, varchar } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";
import { bots } from "./bots";
import { workspaces } from "./workspaces";

/**
 * Usage per bot, day (UTC) and metric type (seed 004's analytics_usage, pre-aggregated):
 * one counter row per (bot, day, metric), incremented with an upsert where the work
 * happens, next to the monthly `usage_counters` the quotas read. Metrics are named in
 * USAGE_METRICS (@docent/db/queries/usage-metrics).
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date().notNull(),
    metric: varchar({ length: 32 }).notNull(),
    value: bigint({ mode: "number" }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.day, t.metric] }), index().on(t.workspaceId, t.day)],
);

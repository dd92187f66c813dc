import { relations, sql } from "drizzle-orm";
import { check, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { analyticsQueryLogs } from "./analytics-query-logs";

/** Thumbs up/down on an answer; one per query log, editable. */
export const analyticsFeedback = pgTable(
  "analytics_feedback",
  {
    id: id(),
    queryLogId: uuid()
      .notNull()
      .unique()
      .references(() => analyticsQueryLogs.id, { onDelete: "cascade" }),
    /** +1 or -1. */
    rating: smallint().notNull(),
    comment: text(),
    ...timestamps(),
  },
  (t) => [check("analytics_feedback_rating", sql`${t.rating} in (-1, 1)`)],
);

export const analyticsFeedbackRelations = relations(analyticsFeedback, ({ one }) => ({
  queryLog: one(analyticsQueryLogs, {
    fields: [analyticsFeedback.queryLogId],
    references: [analyticsQueryLogs.id],
  }),
}));

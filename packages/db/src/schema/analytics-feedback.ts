import { relations, sql } from "drizzle-orm";
import { check, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { analyticsQueryLogs } from "./analytics-query-logs";

/** Longest feedback comment, in characters (also enforced by the API's schema). */
export const FEEDBACK_COMMENT_MAX_CHARS = 2_000;

/**
 * Feedback on an answer; one row per query log, editable. Thumbs and stars are separate
 * columns so a visitor may give either or both, and thumbs-only clients keep working.
 */
export const analyticsFeedback = pgTable(
  "analytics_feedback",
  {
    id: id(),
    queryLogId: uuid()
      .notNull()
      .unique()
      .references(() => analyticsQueryLogs.id, { onDelete: "cascade" }),
    /** Thumbs: +1 or -1; null when only stars were given. */
    rating: smallint(),
    /** 1-5 stars; null when only thumbs were given. */
    stars: smallint(),
    comment: text(),
    ...timestamps(),
  },
  (t) => [
    check("analytics_feedback_rating", sql`${t.rating} in (-1, 1)`),
    check("analytics_feedback_stars", sql`${t.stars} between 1 and 5`),
    check("analytics_feedback_some_rating", sql`${t.rating} is not null or ${t.stars} is not null`),
    check("analytics_feedback_comment_length", sql`char_length(${t.comment}) <= 2000`),
  ],
);

export const analyticsFeedbackRelations = relations(analyticsFeedback, ({ one }) => ({
  queryLog: one(analyticsQueryLogs, {
    fields: [analyticsFeedback.queryLogId],
    references: [analyticsQueryLogs.id],
  }),
}));

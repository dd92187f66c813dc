import { relations } from "drizzle-orm";
import { boolean, integer, numeric, pgTable, real, text, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { subscriptions } from "./subscriptions";

/** SaaS tiers and every limit they impose (seed 000). */
export const plans = pgTable("plans", {
  id: id(),
  /** Stable identifier used in code and URLs: "free", "pro", "business". */
  code: varchar({ length: 32 }).notNull().unique(),
  name: varchar({ length: 100 }).notNull().unique(),
  description: text(),
  priceMonthly: numeric({ precision: 10, scale: 2 }).default("0.00").notNull(),
  maxBots: integer().default(1).notNull(),
  maxDocumentsPerBot: integer().default(5).notNull(),
  maxTotalDocumentStorageGb: real().default(1).notNull(),
  /** Largest single upload accepted. */
  maxFileSizeMb: integer().default(50).notNull(),
  maxQueriesPerMonth: integer().default(1000).notNull(),
  maxDocProcessingJobsPerMonth: integer().default(10).notNull(),
  allowAdvancedRagConfig: boolean().default(false).notNull(),
  /**
   * Most pages of one PDF the worker processes; a longer PDF fails at once. Empty pages
   * cost time too: 20,000 of them in 2 MB held a worker for 14 minutes.
   */
  maxPdfPages: integer().default(500).notNull(),
  /** Wall-clock time one processing attempt of one document may take before it fails. */
  maxDocProcessingSeconds: integer().default(120).notNull(),
  isActive: boolean().default(true).notNull(),
  ...timestamps(),
});

export const plansRelations = relations(plans, ({ many }) => ({
  subscriptions: many(subscriptions),
}));

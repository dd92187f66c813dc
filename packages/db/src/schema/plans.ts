import { relations, sql } from "drizzle-orm";
import { boolean, check, integer, numeric, pgTable, real, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { subscriptions } from "./subscriptions";

/**
 * SaaS tiers and every limit they impose (seed 000). Quota columns are nullable: null means
 * no limit (the "Unlimited" plan of a single-tenant install). The two per-document
 * processing bounds are never null: they protect the worker from one pathological file
 * rather than meter use. Operators edit plans on the admin screen; start-up only adds the
 * catalog plans that are missing (see catalog.ts).
 */
export const plans = pgTable(
  "plans",
  {
    id: id(),
    /** Stable identifier used in code and URLs: "free", "pro", "business". */
    code: varchar({ length: 32 }).notNull().unique(),
    name: varchar({ length: 100 }).notNull().unique(),
    description: text(),
    priceMonthly: numeric({ precision: 10, scale: 2 }).default("0.00").notNull(),
    maxBots: integer().default(1),
    maxDocumentsPerBot: integer().default(5),
    maxTotalDocumentStorageGb: real().default(1),
    /** Largest single upload accepted (the API's DOCUMENT_UPLOAD_MAX_BYTES still applies). */
    maxFileSizeMb: integer().default(50),
    /** Answered questions per calendar month (every channel). */
    maxQueriesPerMonth: integer().default(1000),
    /** Calls of the search API (`POST /v1/bots/:botId/retrieve`) per calendar month. */
    maxRetrievalsPerMonth: integer().default(5000),
    maxDocProcessingJobsPerMonth: integer().default(10),
    /** Most pages one website source may crawl (its `max_pages` cannot be set higher); null: no limit. */
    maxPagesPerSource: integer(),
    /** Crawls of website sources started per calendar month (scheduled ones too); null: no limit. */
    maxCrawlsPerMonth: integer(),
    allowAdvancedRagConfig: boolean().default(false).notNull(),
    /**
     * Most pages of one PDF the worker processes; a longer PDF fails at once. Empty pages
     * cost time too: 20,000 of them in 2 MB held a worker for 14 minutes.
     */
    maxPdfPages: integer().default(500).notNull(),
    /** Wall-clock time one processing attempt of one document may take before it fails. */
    maxDocProcessingSeconds: integer().default(120).notNull(),
    /** Offered: listed by `GET /v1/plans`. Inactive plans still apply to their workspaces. */
    isActive: boolean().default(true).notNull(),
    /** The plan new workspaces start on; at most one (DEFAULT_PLAN or the admin screen sets it). */
    isDefault: boolean().default(false).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("plans_one_default").on(t.isDefault).where(sql`${t.isDefault}`),
    check(
      "plans_limits_not_negative",
      sql`coalesce(${t.maxBots}, 0) >= 0 and coalesce(${t.maxDocumentsPerBot}, 0) >= 0
        and coalesce(${t.maxTotalDocumentStorageGb}, 0) >= 0 and coalesce(${t.maxFileSizeMb}, 0) >= 0
        and coalesce(${t.maxQueriesPerMonth}, 0) >= 0 and coalesce(${t.maxRetrievalsPerMonth}, 0) >= 0
        and coalesce(${t.maxDocProcessingJobsPerMonth}, 0) >= 0
        and coalesce(${t.maxPagesPerSource}, 0) >= 0 and coalesce(${t.maxCrawlsPerMonth}, 0) >= 0
        and ${t.maxPdfPages} >= 1 and ${t.maxDocProcessingSeconds} >= 1`,
    ),
  ],
);

export const plansRelations = relations(plans, ({ many }) => ({
  subscriptions: many(subscriptions),
}));

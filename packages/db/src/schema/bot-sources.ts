/**
 * Website sources of a bot (issue #15): a start URL or a sitemap, crawled now and on a
 * schedule. Each page becomes a `bot_documents` row (source_type WEB_PAGE, `source_id`);
 * `bot_source_pages` (./bot-source-pages.ts) keeps what change detection needs per page, `bot_source_runs` what
 * each crawl did.
 */
import { relations, sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, timestamps } from "./_columns";
import { bots } from "./bots";
import { sourceKind, sourceRunStatus, sourceSchedule, sourceStatus } from "./enums";
import { users } from "./users";

export const botSources = pgTable(
  "bot_sources",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    kind: sourceKind().notNull(),
    /** The start page (website) or the sitemap / sitemap index (sitemap). */
    url: text().notNull(),
    /**
     * Hosts pages may be on besides the start URL's own (same-site scope: empty). Lower
     * case host names, no ports.
     */
    allowedHosts: text().array().default(sql`'{}'::text[]`).notNull(),
    /** Path globs (`/docs/**`); when any is given, a page's path must match one. */
    includePatterns: text().array().default(sql`'{}'::text[]`).notNull(),
    /** Path globs a page's path must match none of. */
    excludePatterns: text().array().default(sql`'{}'::text[]`).notNull(),
    maxPages: integer().notNull(),
    /** Links followed from the start URL (0: the start page only). Unused for sitemaps. */
    maxDepth: integer().notNull(),
    schedule: sourceSchedule().default("manual").notNull(),
    status: sourceStatus().default("pending").notNull(),
    /** Why the last run failed, written for the admin. */
    errorMessage: text(),
    /** Counters of the last run (found: pages in scope it saw). */
    pagesFound: integer().default(0).notNull(),
    pagesProcessed: integer().default(0).notNull(),
    pagesFailed: integer().default(0).notNull(),
    pagesSkipped: integer().default(0).notNull(),
    lastCrawlAt: timestamp({ withTimezone: true }),
    nextCrawlAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.botId, t.createdAt),
    check("bot_sources_max_pages_positive", sql`${t.maxPages} > 0`),
    check("bot_sources_max_depth_range", sql`${t.maxDepth} between 0 and 20`),
  ],
);

/** One crawl of a source: what it fetched and what changed. */
export const botSourceRuns = pgTable(
  "bot_source_runs",
  {
    id: id(),
    sourceId: uuid()
      .notNull()
      .references(() => botSources.id, { onDelete: "cascade" }),
    /** `manual`, `schedule` or `create`. */
    trigger: varchar({ length: 16 }).notNull(),
    status: sourceRunStatus().default("running").notNull(),
    fetched: integer().default(0).notNull(),
    unchanged: integer().default(0).notNull(),
    changed: integer().default(0).notNull(),
    added: integer().default(0).notNull(),
    removed: integer().default(0).notNull(),
    failed: integer().default(0).notNull(),
    skipped: integer().default(0).notNull(),
    errorMessage: text(),
    startedAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.sourceId, t.startedAt)],
);

export const botSourcesRelations = relations(botSources, ({ one, many }) => ({
  bot: one(bots, { fields: [botSources.botId], references: [bots.id] }),
  runs: many(botSourceRuns),
}));

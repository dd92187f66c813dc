/**
 * Website sources of a bot (issue #15), under /v1/bots/:botId/sources: a start URL whose
 * links are followed, or a sitemap, crawled when created, on request and on a schedule.
 * Each page becomes a document of the bot (source type WEB_PAGE).
 */
import { z } from "zod";
import { nullableTimestamp, timestamp, uuid } from "./common";
import { sourceKinds, sourceRunStatuses, sourceSchedules, sourceStatuses } from "./enums";

export const sourceBotParamsSchema = z.object({ botId: uuid });
export const sourceParamsSchema = sourceBotParamsSchema.extend({ sourceId: uuid });

const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "a host name like docs.example.com, without scheme, port or path");
const pathPattern = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^\//, 'a path pattern starts with "/", e.g. /docs/** or /blog/*');

const scopeFields = {
  allowedHosts: z.array(hostName).max(20).describe("Hosts pages may be on besides the URL's own (same site only by default)."),
  includePatterns: z.array(pathPattern).max(50).describe("Path globs (`/docs/**`); when any is given, a page's path must match one."),
  excludePatterns: z.array(pathPattern).max(50).describe("Path globs a page's path must match none of."),
  maxPages: z.number().int().min(1).max(10_000).describe("Most pages one crawl indexes."),
  maxDepth: z.number().int().min(0).max(20).describe("Links followed from the start URL (0: the start page only); unused for sitemaps."),
  schedule: z.enum(sourceSchedules).describe("Crawled again on its own: hourly, daily, weekly, or only when asked (manual)."),
};

export const createSourceBodySchema = z
  .strictObject({
    kind: z.enum(sourceKinds).default("website").describe("`website`: follow links from `url`; `sitemap`: index the pages a sitemap (or sitemap index, gzip too) lists."),
    url: z.string().trim().min(1).max(2048).describe("An absolute http(s) URL on a public address (private ones only with ALLOW_PRIVATE_SOURCE_URLS)."),
    allowedHosts: scopeFields.allowedHosts.default([]),
    includePatterns: scopeFields.includePatterns.default([]),
    excludePatterns: scopeFields.excludePatterns.default([]),
    maxPages: scopeFields.maxPages.optional().describe("Most pages one crawl indexes; default 100, or the plan's pages per source when lower."),
    maxDepth: scopeFields.maxDepth.default(3),
    schedule: scopeFields.schedule.default("manual"),
  })
  .describe("CreateSource");

export const updateSourceBodySchema = z
  .strictObject(scopeFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "name at least one field to change" })
  .describe("UpdateSource");

export const sourceSchema = z
  .object({
    id: uuid,
    botId: uuid,
    kind: z.enum(sourceKinds),
    url: z.string(),
    allowedHosts: z.array(z.string()),
    includePatterns: z.array(z.string()),
    excludePatterns: z.array(z.string()),
    maxPages: z.number().int(),
    maxDepth: z.number().int(),
    schedule: z.enum(sourceSchedules),
    status: z.enum(sourceStatuses).describe("The last crawl: pending (none yet), crawling, completed or failed."),
    errorMessage: z.string().nullable().describe("Why the last crawl failed."),
    pagesFound: z.number().int().min(0).describe("Pages in scope the last crawl reached."),
    pagesProcessed: z.number().int().min(0).describe("Pages whose document is indexed (live)."),
    pagesPending: z.number().int().min(0).describe("Pages whose document is still being indexed (live)."),
    pagesFailed: z.number().int().min(0).describe("Pages the last crawl could not fetch, plus documents that failed to index."),
    pagesSkipped: z.number().int().min(0).describe("Pages skipped with a reason (robots.txt, not HTML, duplicate, plan limit)."),
    lastCrawlAt: nullableTimestamp,
    nextCrawlAt: nullableTimestamp.describe("When the schedule crawls it next; null for manual sources."),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Source");
export type SourceDto = z.infer<typeof sourceSchema>;

export const sourceListSchema = z.object({ sources: z.array(sourceSchema) });

export const sourceRunSchema = z
  .object({
    id: uuid,
    trigger: z.enum(["create", "manual", "schedule"]),
    status: z.enum(sourceRunStatuses),
    fetched: z.number().int().min(0).describe("Requests for pages (304 answers included)."),
    unchanged: z.number().int().min(0).describe("Pages not changed since the last run: no extraction, no embedding."),
    changed: z.number().int().min(0).describe("Pages re-indexed because their content changed."),
    added: z.number().int().min(0),
    removed: z.number().int().min(0).describe("Pages gone (404/410, no longer listed or linked) and deleted with their chunks."),
    failed: z.number().int().min(0),
    skipped: z.number().int().min(0),
    errorMessage: z.string().nullable(),
    startedAt: timestamp,
    finishedAt: nullableTimestamp,
  })
  .describe("SourceRun");
export type SourceRunDto = z.infer<typeof sourceRunSchema>;

export const sourceRunListSchema = z.object({ runs: z.array(sourceRunSchema) });
export const syncQueuedSchema = z.object({ queued: z.literal(true) }).describe("SyncQueued");

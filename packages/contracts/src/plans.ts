/** Plans and a workspace's current usage against them. */
import { z } from "zod";
import { uuid } from "./common";
import { subscriptionStatuses } from "./enums";

/** A quota; null means the plan sets no limit. */
const quota = (what: string) => z.number().int().nullable().describe(`${what}; null: no limit.`);

export const planSchema = z
  .object({
    id: uuid,
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priceMonthly: z.string().describe('Decimal string, e.g. "29.00".'),
    maxBots: quota("Bots per workspace"),
    maxDocumentsPerBot: quota("Documents per bot"),
    maxTotalDocumentStorageGb: z.number().nullable().describe("Stored documents per workspace, in GB; null: no limit."),
    maxFileSizeMb: quota("Largest upload, in MB"),
    maxQueriesPerMonth: quota("Answered questions per calendar month"),
    maxRetrievalsPerMonth: quota("Search API calls (POST /v1/bots/:botId/retrieve) per calendar month"),
    maxDocProcessingJobsPerMonth: quota("Document processing jobs per calendar month"),
    maxPagesPerSource: quota("Pages one website source may crawl"),
    maxCrawlsPerMonth: quota("Website source crawls per calendar month"),
    maxPdfPages: z.number().int().describe("Longest PDF processed, in pages; a longer one fails at once."),
    maxDocProcessingSeconds: z.number().int().describe("Time one document may take to process before it fails."),
    allowAdvancedRagConfig: z.boolean(),
  })
  .describe("Plan");
export type PlanDto = z.infer<typeof planSchema>;

/** The quotas usage is counted against (see @docent/db/limits). */
export const quotaLimits = [
  "bots",
  "documentsPerBot",
  "storage",
  "fileSize",
  "queriesPerMonth",
  "retrievalsPerMonth",
  "processingJobsPerMonth",
  "pagesPerSource",
  "crawlsPerMonth",
] as const;

const meter = z.object({
  used: z.number().min(0),
  limit: z.number().min(0).nullable().describe("null: the plan sets no limit."),
});

export const overLimitSchema = z
  .object({
    limit: z.enum(quotaLimits),
    used: z.number().min(0),
    max: z.number().min(0),
    message: z.string().describe('In words, e.g. "4 bots, over the limit of 2 bots on the Team plan".'),
  })
  .describe("OverLimit");
export type OverLimitDto = z.infer<typeof overLimitSchema>;

export const usageResponseSchema = z
  .object({
    plan: planSchema,
    subscriptionStatus: z.enum(subscriptionStatuses).nullable(),
    periodStart: z.string().describe("First day (UTC) of the month the monthly counters cover."),
    usage: z.object({
      bots: meter,
      documents: z.object({
        used: z.number().int(),
        largestBot: z.number().int().describe("Documents of the fullest bot (the per-bot limit applies to it)."),
        limitPerBot: z.number().int().nullable(),
      }),
      storageBytes: meter,
      queriesThisMonth: meter,
      retrievalsThisMonth: meter,
      processingJobsThisMonth: meter,
    }),
    overLimits: z
      .array(overLimitSchema)
      .describe("What the workspace uses more of than its plan allows (after the plan was lowered or changed); usually empty."),
  })
  .describe("Usage");
export type UsageResponse = z.infer<typeof usageResponseSchema>;

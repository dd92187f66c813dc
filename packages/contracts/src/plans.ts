/** Plans and a workspace's current usage against them. */
import { z } from "zod";
import { uuid } from "./common";
import { subscriptionStatuses } from "./enums";

export const planSchema = z
  .object({
    id: uuid,
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priceMonthly: z.string().describe('Decimal string, e.g. "29.00".'),
    maxBots: z.number().int(),
    maxDocumentsPerBot: z.number().int(),
    maxTotalDocumentStorageGb: z.number(),
    maxFileSizeMb: z.number().int(),
    maxQueriesPerMonth: z.number().int(),
    maxDocProcessingJobsPerMonth: z.number().int(),
    maxPdfPages: z.number().int().describe("Longest PDF processed, in pages; a longer one fails at once."),
    maxDocProcessingSeconds: z.number().int().describe("Time one document may take to process before it fails."),
    allowAdvancedRagConfig: z.boolean(),
  })
  .describe("Plan");
export type PlanDto = z.infer<typeof planSchema>;

const meter = z.object({ used: z.number().min(0), limit: z.number().min(0) });

export const usageResponseSchema = z
  .object({
    plan: planSchema,
    subscriptionStatus: z.enum(subscriptionStatuses).nullable(),
    periodStart: z.string().describe("First day (UTC) of the month the monthly counters cover."),
    usage: z.object({
      bots: meter,
      documents: z.object({ used: z.number().int(), limitPerBot: z.number().int() }),
      storageBytes: meter,
      queriesThisMonth: meter,
      processingJobsThisMonth: meter,
    }),
  })
  .describe("Usage");
export type UsageResponse = z.infer<typeof usageResponseSchema>;

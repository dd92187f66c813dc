/** A bot's usage and answer quality over a date range: the admin analytics screen. */
import { z } from "zod";
import { timestamp, uuid } from "./common";

/** Longest range one request may cover, so a query never scans years of logs. */
export const ANALYTICS_MAX_DAYS = 366;

const day = z.iso.date().describe("UTC calendar day, YYYY-MM-DD.");

export const analyticsQuerySchema = z
  .strictObject({
    from: day.describe("First UTC day, inclusive."),
    to: day.describe("Last UTC day, inclusive."),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < ANALYTICS_MAX_DAYS, {
    message: `the range may cover at most ${ANALYTICS_MAX_DAYS} days`,
    path: ["to"],
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const volume = {
  /** Answered questions; the latency, tokens and feedback below are theirs. */
  queries: z.number().int().min(0),
  /** Search API calls (`POST /v1/bots/:botId/retrieve`), metered apart from questions. */
  retrievals: z.number().int().min(0),
  /** Median and 95th percentile answer time; null when no answer has a time. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  tokensIn: z.number().int().min(0),
  tokensOut: z.number().int().min(0),
  /** Thumbs up / down left on the answers asked in the period. */
  up: z.number().int().min(0),
  down: z.number().int().min(0),
};

export const analyticsResponseSchema = z
  .object({
    /** One entry per day of the range, zeros included, oldest first. */
    daily: z.array(z.object({ date: day, ...volume })),
    totals: z.object(volume),
    /** Documents cited by the most answers (each counted once per answer). */
    topDocuments: z.array(z.object({ documentId: uuid, name: z.string(), count: z.number().int().min(1) })),
    /** Star ratings (1-5) left on the answers asked in the period. */
    stars: z.object({
      /** Count per star value, 1 to 5 in order. */
      distribution: z.array(z.object({ stars: z.number().int().min(1).max(5), count: z.number().int().min(0) })),
      count: z.number().int().min(0),
      /** Mean stars; null when none were given. */
      average: z.number().nullable(),
    }),
    /** Questions that found no source, or only a weak one, most frequent first. */
    unanswered: z.array(
      z.object({
        question: z.string(),
        count: z.number().int().min(1),
        lastAskedAt: timestamp,
        topScore: z.number().nullable(),
      }),
    ),
  })
  .describe("BotAnalytics");
export type AnalyticsDto = z.infer<typeof analyticsResponseSchema>;

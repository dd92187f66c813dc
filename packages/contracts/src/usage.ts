/** Usage per bot, day and metric type (GET /v1/workspaces/:workspaceId/usage/daily). */
import { z } from "zod";
import { uuid } from "./common";

export const usageMetrics = ["messages", "api_calls", "documents_embedded", "chunks_embedded", "prompt_tokens", "completion_tokens"] as const;
export type UsageMetricName = (typeof usageMetrics)[number];

/** Longest range one request may ask for. */
export const USAGE_MAX_DAYS = 366;

const day = z.iso.date();

export const dailyUsageQuerySchema = z
  .strictObject({
    from: day.optional().describe("First day (UTC), YYYY-MM-DD; default 29 days before `to`."),
    to: day.optional().describe("Last day (UTC), inclusive; default today."),
    botId: uuid.optional(),
    metric: z
      .union([z.enum(usageMetrics), z.array(z.enum(usageMetrics))])
      .optional()
      .describe("One metric, or several (repeat the parameter); default all."),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });

export const dailyUsageRowSchema = z.object({
  botId: uuid,
  botName: z.string(),
  day,
  metric: z.enum(usageMetrics),
  value: z.number().int(),
});

export const dailyUsageResponseSchema = z
  .object({
    from: day,
    to: day,
    items: z.array(dailyUsageRowSchema).describe("One row per bot, day and metric with a non-zero count, by day."),
    totals: z.record(z.enum(usageMetrics), z.number().int()).describe("Each metric summed over the range and bots."),
  })
  .describe("DailyUsage");

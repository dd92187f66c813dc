/** Streamed exports of a bot's conversations and daily analytics (issue #17). */
import { z } from "zod";
import { ANALYTICS_MAX_DAYS } from "./analytics";

const day = z.iso.date().describe("UTC calendar day, YYYY-MM-DD.");

export const exportQuerySchema = z
  .strictObject({
    from: day.describe("First UTC day, inclusive."),
    to: day.describe("Last UTC day, inclusive."),
    format: z.enum(["csv", "json"]).describe("csv (RFC 4180, one row per message) or json (NDJSON, one object per line)."),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < ANALYTICS_MAX_DAYS, {
    message: `an export may cover at most ${ANALYTICS_MAX_DAYS} days`,
    path: ["to"],
  });
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** Columns of the conversations CSV, in order (one row per message). */
export const CONVERSATION_EXPORT_COLUMNS = [
  "conversation_id",
  "channel",
  "started_at",
  "message_id",
  "role",
  "created_at",
  "content",
  "topic",
  "feedback",
  "feedback_comment",
  "citations",
] as const;

/** Columns of the analytics CSV (one row per UTC day). */
export const ANALYTICS_EXPORT_COLUMNS = [
  "date",
  "queries",
  "retrievals",
  "p50_ms",
  "p95_ms",
  "tokens_in",
  "tokens_out",
  "up",
  "down",
] as const;

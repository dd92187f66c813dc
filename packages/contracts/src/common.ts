/** Shapes every route shares: the error body, ids, timestamps and list envelopes. */
import { z } from "zod";

/** Every failure, from every Docent service, answers with this body. */
export const errorResponseSchema = z
  .object({
    requestId: z.string().describe("Also sent as the x-request-id header; quote it when reporting a problem."),
    statusCode: z.number().int().min(400).max(599),
    error: z
      .string()
      .describe('Stable machine-readable code, e.g. "VALIDATION_FAILED", "NOT_FOUND", "QUOTA_EXCEEDED"; each code has one status (packages/contracts/src/errors.ts).'),
    message: z.string().describe("Human-readable explanation, safe to show to the user."),
    details: z.unknown().optional().describe("Structured context: failing fields for validation errors, the limit for quota errors."),
  })
  .describe("Error");
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** Field-level problem inside `details.issues` of a VALIDATION_FAILED error. */
export const validationIssueSchema = z.object({
  /** Where the problem is: "body.email", "params.botId", "query.limit". */
  path: z.string(),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const uuid = z.uuid();
/** Timestamps travel as ISO-8601 strings. */
export const timestamp = z.iso.datetime({ offset: true });
export const nullableTimestamp = timestamp.nullable();

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().min(0) });

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  search: z.string().trim().min(1).max(100).optional(),
});

export const noContent = z.undefined().describe("No content");

/** Trimmed single-line text with length bounds. */
export const text = (min: number, max: number) => z.string().trim().min(min).max(max);

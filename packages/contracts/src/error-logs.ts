/** The persisted error log platform admins read (GET /v1/admin/error-logs). */
import { z } from "zod";
import { pageOf, timestamp, uuid } from "./common";

export const errorLogServices = ["api", "chat", "worker"] as const;

export const errorLogSchema = z
  .object({
    id: uuid,
    service: z.enum(errorLogServices),
    errorType: z.string().describe('The error code ("INTERNAL", "DEPENDENCY_UNAVAILABLE") or, for the worker, the failed job\'s name.'),
    message: z.string(),
    statusCode: z.number().int().nullable(),
    requestId: z.string().nullable(),
    operation: z.string().nullable().describe('"POST /v1/bots/:botId/chat" or "job ingest-document".'),
    botId: uuid.nullable(),
    workspaceId: uuid.nullable(),
    createdAt: timestamp,
  })
  .describe("ErrorLog");
export type ErrorLogDto = z.infer<typeof errorLogSchema>;

export const errorLogPageSchema = pageOf(errorLogSchema);

export const errorLogQuerySchema = z
  .strictObject({
    service: z.enum(errorLogServices).optional(),
    errorType: z.string().trim().min(1).max(100).optional(),
    botId: uuid.optional(),
    workspaceId: uuid.optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });

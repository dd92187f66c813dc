import { index, integer, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";

/**
 * Server-side failures worth a platform admin's look (seed 004's error_logs): 5xx answers
 * of the API and chat service, and failed worker jobs. Written best effort (a failed write
 * is only logged). `message` is the error's own message, never a stack or request body;
 * bot and workspace ids are plain columns (no foreign keys) so a log outlives what it names.
 * Rows older than ERROR_LOG_RETENTION_DAYS are deleted by the worker's scheduler.
 */
export const errorLogs = pgTable(
  "error_logs",
  {
    id: id(),
    /** "api", "chat" or "worker". */
    service: varchar({ length: 16 }).notNull(),
    /** The error code ("INTERNAL", "DEPENDENCY_UNAVAILABLE") or the job name for worker failures. */
    errorType: varchar({ length: 100 }).notNull(),
    message: text().notNull(),
    statusCode: integer(),
    requestId: varchar({ length: 128 }),
    /** "POST /v1/..." (the route pattern) or "job <name>". */
    operation: varchar({ length: 300 }),
    botId: uuid(),
    workspaceId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.createdAt), index().on(t.service, t.createdAt), index().on(t.errorType)],
);

/**
 * Writes server-side failures to the persisted error log (error_logs) for platform admins.
 * Best effort and off the request's path: the write is not awaited by callers, uses an
 * asynchronous commit, and a failure (the database down, which is often why the request
 * failed) is only logged. Messages are the error's own, cut short; never stacks or bodies.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { insertErrorLog, type NewErrorLog } from "@docent/db/queries/error-logs";

export type ErrorLogService = "api" | "chat" | "worker";

export interface ErrorLogWriter {
  /** Records one entry; resolves when written or when the write failed (never rejects). */
  record(entry: Omit<NewErrorLog, "service">): Promise<void>;
}

export function createErrorLogWriter(deps: { db: Database; service: ErrorLogService; logger: Logger }): ErrorLogWriter {
  return {
    async record(entry) {
      try {
        await insertErrorLog(deps.db, { ...entry, service: deps.service });
      } catch (error) {
        deps.logger.warn({ err: error, errorType: entry.errorType, requestId: entry.requestId }, "error log entry not written");
      }
    },
  };
}

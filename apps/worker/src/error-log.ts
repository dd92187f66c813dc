/**
 * Failed jobs go to the persisted error log (error_logs) once they are final: no attempt
 * is left, or the failure is not retryable. Attempts that will be retried, jobs delayed or
 * released (outages, shutdown) are not errors of this kind. Best effort (see
 * @docent/service-kit/error-log).
 */
import type { ErrorLogWriter } from "@docent/service-kit/error-log";
import { UnrecoverableError, type Job, type Worker } from "bullmq";
import { requestIdOf } from "./processors/base";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOf = (value: unknown) => (typeof value === "string" && UUID.test(value) ? value : null);

export function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
}

export function recordFailedJobs(worker: Worker, errorLog: ErrorLogWriter | undefined): void {
  if (!errorLog) return;
  worker.on("failed", (job, error) => {
    if (!job || !isFinalFailure(job, error)) return;
    const data = (job.data ?? {}) as Record<string, unknown>;
    const code = (error as Error & { code?: unknown }).code;
    void errorLog.record({
      errorType: (typeof code === "string" ? code : error.name) || "Error",
      message: (error.message.split("\n")[0] ?? "").slice(0, 500),
      statusCode: null,
      requestId: requestIdOf(job).requestId ?? null,
      operation: `job ${job.name}`,
      botId: idOf(data.botId),
      workspaceId: idOf(data.workspaceId),
    });
  });
}

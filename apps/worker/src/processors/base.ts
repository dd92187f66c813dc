/**
 * The wrapper every processor runs in: validates the payload against the shared schema,
 * logs job id, attempt and duration, and sorts failures. Non-retryable errors become
 * BullMQ's UnrecoverableError (failed at once, no further attempts); a shutdown hands
 * the job back to the queue; anything else is retried with backoff.
 */
import type { Logger } from "@docent/config/logger";
import { jobPayloadSchemas, type JobName, type JobPayload } from "@docent/queue/jobs";
import { UnrecoverableError, WaitingError, type Job } from "bullmq";
import { documentErrorMessage, isRetryable, ReleaseJobError } from "../pipeline/errors";

export interface FailureInfo {
  error: unknown;
  /** True when no further attempt will be made. */
  final: boolean;
  attempt: number;
  maxAttempts: number;
  message: string;
}

export interface ProcessorDefinition<N extends JobName, R> {
  name: N;
  run(payload: JobPayload<N>, context: { job: Job; log: Logger }): Promise<R>;
  /** Records a failure on the domain object (the document row). */
  onFailure?(payload: JobPayload<N>, failure: FailureInfo, log: Logger): Promise<void>;
}

export function wrapProcessor<N extends JobName, R>(definition: ProcessorDefinition<N, R>, logger: Logger) {
  return async (job: Job, token?: string): Promise<R> => {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const log = logger.child({ jobId: job.id, job: definition.name, attempt });
    const parsed = jobPayloadSchemas[definition.name].safeParse(job.data);
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues }, "invalid job payload");
      throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    }
    const payload = parsed.data as JobPayload<N>;
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    log.info({ payload }, "job started");
    try {
      const result = await definition.run(payload, { job, log });
      log.info({ durationMs: durationMs(), result }, "job finished");
      return result;
    } catch (error) {
      if (error instanceof ReleaseJobError && token) {
        await job.moveToWait(token);
        log.info({ durationMs: durationMs() }, "job released for another worker (shutdown)");
        throw new WaitingError();
      }
      const retryable = isRetryable(error);
      const final = !retryable || attempt >= maxAttempts;
      log[final ? "error" : "warn"]({ err: error, durationMs: durationMs(), retryable, final }, "job failed");
      await definition
        .onFailure?.(payload, { error, final, attempt, maxAttempts, message: documentErrorMessage(error) }, log)
        .catch((e: unknown) => log.error({ err: e }, "recording the failure failed"));
      if (!retryable) throw new UnrecoverableError(documentErrorMessage(error));
      throw error;
    }
  };
}

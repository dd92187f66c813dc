/**
 * The wrapper every processor runs in: validates the payload against the shared schema,
 * logs job id, attempt, duration and the id of the request that queued the job on every
 * line, and sorts failures:
 *
 * - a dependency outage (database, Redis, storage or embedding provider unreachable) does
 *   not use an attempt: the job is postponed with backoff (BullMQ's moveToDelayed skips
 *   the attempt count) until the dependency is back or the outage deadline passes; then
 *   the document fails with the outage recorded, and the reaper queues it again once the
 *   dependency answers;
 * - non-retryable errors become BullMQ's UnrecoverableError (failed at once);
 * - a shutdown hands the job back to the queue; a lost lock leaves it to its new owner;
 * - anything else is retried with backoff, using one of the job's attempts.
 */
import type { Logger } from "@docent/config/logger";
import { jobPayloadSchemas, type JobName, type JobPayload } from "@docent/queue/jobs";
import type { OutageRetryPolicy } from "@docent/queue/options";
import { dependencyOutage, type Dependency } from "@docent/service-kit/dependency-errors";
import { DelayedError, UnrecoverableError, WaitingError, type Job } from "bullmq";
import type { JobOutcome, WorkerMetrics } from "../metrics";
import { documentErrorMessage, isRetryable, LockLostError, ReleaseJobError } from "../pipeline/errors";

export interface FailureInfo {
  error: unknown;
  /** True when no further attempt will be made. */
  final: boolean;
  attempt: number;
  maxAttempts: number;
  message: string;
  /** Set when the failure is an outage that outlasted the deadline. */
  outage?: Dependency;
}

export interface OutageWait {
  dependency: Dependency;
  /** When this job first found the dependency unavailable. */
  since: Date;
  retryAt: Date;
}

export interface ProcessorDefinition<N extends JobName, R> {
  name: N;
  run(payload: JobPayload<N>, context: { job: Job; log: Logger; lockLost: AbortSignal }): Promise<R>;
  /** Records a failure on the domain object (the document row). */
  onFailure?(payload: JobPayload<N>, failure: FailureInfo, log: Logger): Promise<void>;
  /** Notes on the domain object that the job waits for a dependency (best effort). */
  onOutageWait?(payload: JobPayload<N>, wait: OutageWait, log: Logger): Promise<void>;
}

/**
 * Jobs whose lock BullMQ failed to renew (another worker may have taken them over): the
 * running processor's signal is aborted, so it stops at its next checkpoint.
 */
export function createLockWatch() {
  const running = new Map<string, AbortController>();
  return {
    track(jobId: string): AbortSignal {
      const controller = new AbortController();
      running.set(jobId, controller);
      return controller.signal;
    },
    release(jobId: string) {
      running.delete(jobId);
    },
    lost(jobIds: string[]) {
      for (const id of jobIds) running.get(id)?.abort();
    },
  };
}
export type LockWatch = ReturnType<typeof createLockWatch>;

/** Outage bookkeeping kept in the job's data, so it survives the job being postponed. */
interface OutageState {
  since: number;
  last: number;
  retries: number;
  dependency: Dependency;
}

function readOutageState(job: Job, now: number, policy: OutageRetryPolicy): OutageState | undefined {
  const state = (job.data as { outage?: OutageState }).outage;
  // An outage long past (the job ran fine in between) does not count toward this one.
  if (!state || now - state.last > policy.freshAfterMs) return undefined;
  return state;
}

const dependencyNouns: Record<Dependency, string> = {
  database: "the database",
  redis: "Redis",
  storage: "the file storage",
  embedding: "the embedding provider",
  network: "a service Docent depends on",
};

/** "the embedding provider", for a sentence about the outage. */
export function dependencyNoun(dependency: Dependency): string {
  return dependencyNouns[dependency];
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function humanDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 2) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/** `{ requestId }` from a job's data when it carries a well-formed one, else nothing. */
export function requestIdOf(job: Pick<Job, "data"> | undefined): { requestId?: string } {
  const requestId = (job?.data as { requestId?: unknown } | undefined)?.requestId;
  return typeof requestId === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) ? { requestId } : {};
}

export interface WrapOptions {
  outage: OutageRetryPolicy;
  locks?: LockWatch;
  /** Counts each attempt by outcome, with its duration (docent_ingest_jobs_total). */
  metrics?: Pick<WorkerMetrics, "job">;
}

export function wrapProcessor<N extends JobName, R>(
  definition: ProcessorDefinition<N, R>,
  logger: Logger,
  options: WrapOptions,
) {
  return async (job: Job, token?: string): Promise<R> => {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    // The request that queued the job (see jobs.ts) goes on every line this job logs.
    let log = logger.child({ jobId: job.id, job: definition.name, attempt, ...requestIdOf(job) });
    const parsed = jobPayloadSchemas[definition.name].safeParse(job.data);
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues }, "invalid job payload");
      throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    }
    const payload = parsed.data as JobPayload<N>;
    // The object the job works on, on every line too (a document's id, for ingest jobs).
    const subject = (payload as { documentId?: unknown }).documentId;
    if (typeof subject === "string") log = log.child({ documentId: subject });
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    const count = (outcome: JobOutcome) => options.metrics?.job(outcome, (performance.now() - started) / 1000);
    const lockLost = options.locks?.track(job.id!) ?? new AbortController().signal;
    log.info({ payload }, "job started");
    try {
      const result = await definition.run(payload, { job, log, lockLost });
      log.info({ durationMs: durationMs(), result }, "job finished");
      count((result as { status?: unknown } | undefined)?.status === "skipped" ? "skipped" : "processed");
      return result;
    } catch (error) {
      if (error instanceof LockLostError) {
        // Neither complete nor fail it: the job is another worker's now.
        log.warn({ durationMs: durationMs() }, "job lock lost to another worker; stopped without committing");
        count("lock_lost");
        throw new WaitingError();
      }
      if (error instanceof ReleaseJobError && token) {
        await job.moveToWait(token);
        log.info({ durationMs: durationMs() }, "job released for another worker (shutdown)");
        count("released");
        throw new WaitingError();
      }
      const dependency = dependencyOutage(error);
      let outageFailure: { dependency: Dependency; waitedMs: number } | undefined;
      if (dependency && token) {
        const now = Date.now();
        const state = readOutageState(job, now, options.outage) ?? { since: now, last: now, retries: 0, dependency };
        const waitedMs = now - state.since;
        if (waitedMs < options.outage.deadlineMs) {
          await postpone(job, token, payload, { ...state, last: now, dependency }, log, error);
          count("postponed");
          throw new DelayedError();
        }
        outageFailure = { dependency, waitedMs };
      }
      const retryable = !outageFailure && isRetryable(error);
      const final = !retryable || attempt >= maxAttempts;
      const message = outageFailure
        ? `${capitalize(dependencyNoun(outageFailure.dependency))} was unreachable for ${humanDuration(outageFailure.waitedMs)}; this document is processed again automatically once it answers.`
        : documentErrorMessage(error);
      log[final ? "error" : "warn"]({ err: error, durationMs: durationMs(), retryable, final }, "job failed");
      try {
        await definition.onFailure?.(
          payload,
          { error, final, attempt, maxAttempts, message, outage: outageFailure?.dependency },
          log,
        );
      } catch (recordError) {
        log.error({ err: recordError }, "recording the failure failed");
        // An outage failure is only final once the document says so (the reaper retries
        // those); while the database cannot take it, keep waiting instead.
        if (outageFailure && token && dependencyOutage(recordError)) {
          const now = Date.now();
          const state = readOutageState(job, now, options.outage) ?? {
            since: now,
            last: now,
            retries: 0,
            dependency: outageFailure.dependency,
          };
          await postpone(job, token, payload, { ...state, last: now }, log, recordError);
          count("postponed");
          throw new DelayedError();
        }
      }
      count(final ? "failed" : "retried");
      if (!retryable) throw new UnrecoverableError(message);
      throw error;
    } finally {
      options.locks?.release(job.id!);
    }
  };

  async function postpone(
    job: Job,
    token: string,
    payload: JobPayload<N>,
    state: OutageState,
    log: Logger,
    cause: unknown,
  ): Promise<void> {
    const delayMs = options.outage.delayMs(state.retries);
    const retryAt = Date.now() + delayMs;
    log.warn(
      {
        dependency: state.dependency,
        outageRetries: state.retries,
        waitedMs: Date.now() - state.since,
        delayMs,
        cause: cause instanceof Error ? cause.message : String(cause),
      },
      "dependency unavailable; job postponed without using an attempt",
    );
    await definition
      .onOutageWait?.(payload, { dependency: state.dependency, since: new Date(state.since), retryAt: new Date(retryAt) }, log)
      .catch((e: unknown) => log.debug({ err: e }, "could not note the outage on the document"));
    try {
      await job.updateData({ ...job.data, outage: { ...state, retries: state.retries + 1 } });
      await job.moveToDelayed(retryAt, token);
    } catch (moveError) {
      // Redis itself is down: the job stays active without a lock renewal, and
      // stalled-job recovery hands it back once Redis answers again.
      log.warn({ err: moveError }, "could not postpone the job; stalled-job recovery will pick it up");
    }
  }
}

/**
 * Queue and worker options in one file, each value with the reason it was chosen.
 * Timing values that tests need to shorten come in through `WorkerTimings`.
 */
import type { DefaultJobOptions, WorkerOptions } from "bullmq";

export const ingestJobOptions: DefaultJobOptions = {
  // Transient failures (network, 429/5xx from an embedding API, a database restart) get
  // a few more tries; non-retryable ones throw UnrecoverableError and fail at once.
  attempts: 5,
  // 5 s, 10 s, 20 s, 40 s: long enough for a rate limit window or a restarting service.
  // Jitter (half the delay) spreads retries so many failed jobs do not hammer an API
  // in lock-step.
  backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
  // Completed jobs are only history (the document row is the record); keep a few for
  // debugging and cap their age so Redis memory stays flat.
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  // Failed jobs are kept longer so an operator (and the reaper) can read the reason.
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

/**
 * How a job waits out a dependency outage (see apps/worker/src/processors/base.ts). An
 * outage does not use one of the 5 attempts above, which are for failures of the job
 * itself: the job is postponed, again and again, until the dependency answers or
 * `deadlineMs` has passed since the job first found it unavailable.
 */
export interface OutageRetryPolicy {
  deadlineMs: number;
  /** Delay before the retry after `retries` postponements. */
  delayMs(retries: number): number;
  /** An outage seen longer ago than this (the job ran fine since) starts a new count. */
  freshAfterMs: number;
}

export function outageRetryPolicy(deadlineMs: number): OutageRetryPolicy {
  return {
    deadlineMs,
    // 2 s, 4 s, 8 s ... then every 60 s: a restart (seconds) is caught almost at once,
    // a long outage costs one cheap failed attempt per job per minute. Jitter (+-25%)
    // spreads the retries of many waiting jobs once the dependency is back.
    delayMs: (retries) => Math.round(Math.min(2000 * 2 ** retries, 60_000) * (0.75 + Math.random() / 2)),
    freshAfterMs: 10 * 60_000,
  };
}

export interface WorkerTimings {
  /**
   * How long a worker owns a job without renewing its lock. The worker renews it every
   * lockDuration/2 while the event loop is responsive; 60 s leaves room for a CPU-heavy
   * extraction step between renewals.
   */
  lockDurationMs: number;
  /**
   * How often workers look for jobs whose lock expired (the owner was SIGKILLed or lost
   * its connection) and put them back in the queue. 30 s bounds the recovery delay.
   */
  stalledIntervalMs: number;
  /**
   * A job that stalls this many times is failed instead of re-queued: a document that
   * crashes the process (out of memory) every time must not loop forever.
   */
  maxStalledCount: number;
}

export const defaultWorkerTimings: WorkerTimings = {
  lockDurationMs: 60_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 2,
};

export function ingestWorkerOptions(
  timings: WorkerTimings,
  concurrency: number,
): Omit<WorkerOptions, "connection" | "prefix"> {
  return {
    concurrency,
    lockDuration: timings.lockDurationMs,
    stalledInterval: timings.stalledIntervalMs,
    maxStalledCount: timings.maxStalledCount,
    // We close explicitly on SIGTERM (see apps/worker/src/main.ts).
    autorun: false,
  };
}

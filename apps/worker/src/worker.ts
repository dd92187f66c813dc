/**
 * Builds the ingest worker and everything it owns (BullMQ worker, reaper, a producer
 * queue for re-enqueueing), wired with listeners, and a `close()` that shuts it down in
 * order: stop taking jobs, release or finish the running ones, then stop the reaper.
 * main.ts owns the process (env, connections, signals); tests build this in-process.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import type { ResolveEmbedderConfig } from "@docent/embeddings/resolve";
import { randomUUID } from "node:crypto";
import { createIngestQueue } from "@docent/queue/producer";
import { ingestWorkerOptions, outageRetryPolicy, type WorkerTimings } from "@docent/queue/options";
import { QUEUE_NAMES, type IngestDocumentPayload } from "@docent/queue/jobs";
import { sharedGuardedFetch } from "@docent/outbound/dispatcher";
import { createWorkspaceEmbedderResolver } from "@docent/service-kit/byok-embedder";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import type { Registry } from "@docent/service-kit/metrics";
import type { ObjectStorage } from "@docent/storage/types";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { createWorkerMetrics } from "./metrics";
import { createLockWatch, requestIdOf, wrapProcessor } from "./processors/base";
import { recordDocumentFailure, recordOutageWait } from "./processors/failure";
import type { EmbedderLike } from "./pipeline/embed";
import { processIngestDocument, type IngestDeps } from "./processors/ingest-document";
import { startReaper } from "./reaper";
import { recordFailedJobs } from "./error-log";
import type { ErrorLogWriter } from "@docent/service-kit/error-log";
import type { WebhookEmitter } from "@docent/service-kit/webhooks";

export interface IngestWorkerOptions {
  db: Database;
  sql: postgres.Sql;
  storage: ObjectStorage;
  /** Blocking connection for BullMQ (maxRetriesPerRequest: null). */
  redis: Redis;
  queuePrefix: string;
  /** The platform embedder; used when `embedderFor` is unset. */
  embedder: EmbedderLike;
  /** Each job's embedder, from its workspace's settings (see `workspaceEmbedderFor`). */
  embedderFor?: IngestDeps["embedderFor"];
  logger: Logger;
  concurrency: number;
  timings: WorkerTimings;
  embedBatchSize: number;
  progressIntervalMs: number;
  reaper: { intervalMs: number; staleAfterMs: number } | false;
  /**
   * How long a job waits out a dependency outage (database, Redis, storage, embedding
   * provider) before its document fails; outages never use the job's attempts.
   */
  outageDeadlineMs: number;
  fetchOptions?: IngestDeps["fetchOptions"];
  /** Where the worker's metrics go (the ops server serves it at /metrics); none when unset. */
  metrics?: Registry;
  /** Document events for the workspaces' webhooks; none when unset. */
  webhooks?: WebhookEmitter;
  /** Final job failures go to the persisted error log; none when unset. */
  errorLog?: ErrorLogWriter;
}

/**
 * Resolves each job's embedder the way the chat service embeds questions: the workspace's
 * own provider and key (BYOK) when it set one, else the platform's from env. Without
 * DOCENT_ENCRYPTION_KEYS, a workspace with a stored key gets its document FAILED. A base
 * URL the workspace chose is held to the address policy when each connection opens
 * (private addresses only with ALLOW_PRIVATE_MODEL_URLS).
 */
export function workspaceEmbedderFor(
  db: Database,
  env: ResolveEmbedderConfig["env"] & { DOCENT_ENCRYPTION_KEYS?: string | undefined; ALLOW_PRIVATE_MODEL_URLS?: boolean },
): NonNullable<IngestDeps["embedderFor"]> {
  const secrets = env.DOCENT_ENCRYPTION_KEYS ? createSecretBox(parseKeyRing(env.DOCENT_ENCRYPTION_KEYS)) : null;
  const workspaceFetch = sharedGuardedFetch(env.ALLOW_PRIVATE_MODEL_URLS === true);
  return createWorkspaceEmbedderResolver({ db, env, secrets, workspaceFetch });
}

export function createIngestWorker(options: IngestWorkerOptions) {
  const { logger } = options;
  const shutdown = new AbortController();
  const queue = createIngestQueue({ connection: options.redis, prefix: options.queuePrefix });
  const metrics = options.metrics ? createWorkerMetrics(options.metrics, queue) : undefined;
  const embedder = metrics ? metrics.embedder(options.embedder) : options.embedder;
  const resolveEmbedder = options.embedderFor;
  const embedderFor: IngestDeps["embedderFor"] =
    resolveEmbedder && metrics
      ? async (workspaceId) => {
          const resolved = await resolveEmbedder(workspaceId);
          return resolved && metrics.embedder(resolved);
        }
      : resolveEmbedder;
  const deps: IngestDeps = {
    db: options.db,
    sql: options.sql,
    storage: options.storage,
    redis: options.redis,
    queuePrefix: options.queuePrefix,
    embedder,
    embedderFor,
    logger,
    embedBatchSize: options.embedBatchSize,
    progressIntervalMs: options.progressIntervalMs,
    fetchOptions: options.fetchOptions ?? {},
    shutdownSignal: shutdown.signal,
    metrics,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  };

  const locks = createLockWatch();
  const processor = wrapProcessor(
    {
      name: "ingest-document",
      run: (payload, { log, lockLost }) =>
        processIngestDocument(deps, payload, log, { id: randomUUID(), lockLost }),
      onFailure: (payload, failure, log) => recordDocumentFailure(deps, payload, failure, log),
      onOutageWait: (payload, wait) => recordOutageWait(deps, payload, wait),
    },
    logger,
    { outage: outageRetryPolicy(options.outageDeadlineMs), locks, metrics },
  );

  const worker = new Worker<IngestDocumentPayload>(QUEUE_NAMES.ingest, processor, {
    ...ingestWorkerOptions(options.timings, options.concurrency),
    connection: options.redis,
    prefix: options.queuePrefix,
  });

  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  recordFailedJobs(worker, options.errorLog);
  queue.on("error", (error) => logger.warn({ err: error }, "ingest queue (reaper) error"));
  // Another worker may have taken these jobs over: they stop at their next checkpoint
  // (the database claim on the document guards the commit in any case).
  worker.on("lockRenewalFailed", (jobIds) => {
    logger.warn({ jobIds }, "job lock could not be renewed; stopping those jobs");
    locks.lost(jobIds);
  });
  worker.on("failed", (job, error) => {
    logger.warn({ jobId: job?.id, ...requestIdOf(job), err: error, attemptsMade: job?.attemptsMade }, "job attempt failed");
    // A job that stalled too often never reached the processor's failure handling.
    if (job && /stalled more than allowable limit/i.test(error.message)) {
      void recordDocumentFailure(
        deps,
        job.data,
        {
          final: true,
          attempt: job.attemptsMade,
          maxAttempts: job.opts.attempts ?? 1,
          message:
            "The worker stopped repeatedly while processing this document (it may be too large or malformed).",
        },
        logger.child({ jobId: job.id, ...requestIdOf(job) }),
      ).catch((e: unknown) => logger.error({ err: e, jobId: job.id }, "recording the stalled failure failed"));
    }
  });
  worker.on("stalled", (jobId) => logger.warn({ jobId }, "job stalled; re-queued for another attempt"));

  const reaper =
    options.reaper === false
      ? undefined
      : startReaper(
          {
            db: options.db,
            sql: options.sql,
            storage: options.storage,
            queue,
            redis: options.redis,
            queuePrefix: options.queuePrefix,
            logger: logger.child({ component: "reaper" }),
            staleAfterMs: options.reaper.staleAfterMs,
            embedderFor: async (workspaceId) => (await embedderFor?.(workspaceId)) ?? embedder,
          },
          options.reaper.intervalMs,
        );

  return {
    worker,
    queue,
    start() {
      void worker.run().catch((error: unknown) => logger.error({ err: error }, "worker stopped"));
    },
    /**
     * Stops taking jobs; running jobs hand themselves back to the queue at their next
     * checkpoint (or finish, if already committing). Resolves when none is running.
     */
    async close() {
      shutdown.abort();
      await reaper?.stop();
      await worker.close();
      await queue.close();
    },
  };
}

export type IngestWorker = ReturnType<typeof createIngestWorker>;

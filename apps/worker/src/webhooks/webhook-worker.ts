/**
 * The webhook delivery worker and the maintenance tasks, next to the ingest worker in the
 * same process: deliveries run on their own queue and concurrency (slow receivers never
 * hold up documents); the sweeper (a job scheduler every WEBHOOK_SWEEP_INTERVAL_MS)
 * re-queues outbox rows whose job was lost; the error log's retention deletes entries
 * older than ERROR_LOG_RETENTION_DAYS.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { pruneErrorLogs } from "@docent/db/queries/error-logs";
import { findStrandedDeliveries } from "@docent/db/queries/webhooks";
import { QUEUE_NAMES } from "@docent/queue/jobs";
import { createMaintenanceQueue, scheduleMaintenance } from "@docent/queue/maintenance";
import { createWebhookQueue, enqueueWebhookDelivery, webhookWorkerOptions } from "@docent/queue/webhooks";
import { createGuardedFetch, type GuardedDispatcherOptions } from "@docent/outbound/dispatcher";
import type { AddressPolicy } from "@docent/outbound/resolve";
import type { SecretBox } from "@docent/service-kit/crypto/secrets";
import type { ErrorLogWriter } from "@docent/service-kit/error-log";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { recordFailedJobs } from "../error-log";
import { createDeliverer } from "./deliver";

export interface WebhookWorkerOptions {
  db: Database;
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  secretBox: SecretBox | null;
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  sweepIntervalMs: number;
  /** The address policy every delivery's connection must pass (allowPrivate: ALLOW_PRIVATE_WEBHOOK_URLS). */
  policy: AddressPolicy;
  /** TLS options for tests with a self-signed receiver. */
  dispatcher?: GuardedDispatcherOptions;
  errorLogRetentionDays: number;
  errorLogPruneIntervalMs: number;
  errorLog?: ErrorLogWriter;
}

/** Stranded deliveries re-queued per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 500;

export function createWebhookWorker(options: WebhookWorkerOptions) {
  const { db, logger } = options;
  const queue = createWebhookQueue({ connection: options.redis, prefix: options.queuePrefix });
  const maintenanceQueue = createMaintenanceQueue({ connection: options.redis, prefix: options.queuePrefix });
  const guarded = createGuardedFetch(options.policy, {
    connectTimeoutMs: options.timeoutMs,
    headersTimeoutMs: options.timeoutMs,
    bodyTimeoutMs: options.timeoutMs,
    ...options.dispatcher,
  });
  const deliverer = createDeliverer({
    db,
    queue,
    secretBox: options.secretBox,
    fetch: guarded.fetch,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    retryBaseMs: options.retryBaseMs,
    logger: logger.child({ component: "webhooks" }),
  });

  /** Re-queues PENDING rows due for longer than one sweep interval: their job never came. */
  async function sweep(): Promise<number> {
    const stranded = await findStrandedDeliveries(db, { dueBefore: new Date(Date.now() - options.sweepIntervalMs), limit: SWEEP_BATCH });
    for (const row of stranded) {
      // attempt = "a sweep": a distinct job id from the producer's, which may have been used
      // by a job that ran before the row was due (and so did nothing).
      await enqueueWebhookDelivery(queue, { deliveryId: row.id, attempt: Date.now() });
    }
    if (stranded.length > 0) logger.info({ count: stranded.length }, "stranded webhook deliveries re-queued");
    return stranded.length;
  }

  async function prune(): Promise<number> {
    const before = new Date(Date.now() - options.errorLogRetentionDays * 24 * 3600_000);
    const deleted = await pruneErrorLogs(db, before);
    if (deleted > 0) logger.info({ deleted, before }, "old error log entries deleted");
    return deleted;
  }

  const worker = new Worker<{ deliveryId: string }>(
    QUEUE_NAMES.webhooks,
    async (job: Job<{ deliveryId: string }>) => deliverer.deliver(job.data.deliveryId),
    { ...webhookWorkerOptions(options.concurrency), connection: options.redis, prefix: options.queuePrefix },
  );
  const maintenance = new Worker(
    QUEUE_NAMES.maintenance,
    async (job: Job) => {
      if (job.name === "sweep-webhooks") return sweep();
      if (job.name === "prune-error-logs") return prune();
      return undefined;
    },
    { concurrency: 1, autorun: false, connection: options.redis, prefix: options.queuePrefix },
  );
  for (const [name, w] of [["webhook", worker], ["maintenance", maintenance]] as const) {
    w.on("error", (error) => logger.error({ err: error }, `${name} worker error`));
    w.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, `${name} job failed`));
    recordFailedJobs(w, options.errorLog);
  }
  queue.on("error", (error) => logger.warn({ err: error }, "webhook queue error"));
  maintenanceQueue.on("error", (error) => logger.warn({ err: error }, "maintenance queue error"));

  return {
    worker,
    maintenance,
    queue,
    deliverer,
    sweep,
    prune,
    async start() {
      // Upserted at every start (a Redis that lost them gets them back); a failure here must
      // not stop the worker: the next start, or another worker's, schedules them.
      try {
        await scheduleMaintenance(maintenanceQueue, "sweep-webhooks", options.sweepIntervalMs);
        await scheduleMaintenance(maintenanceQueue, "prune-error-logs", options.errorLogPruneIntervalMs);
      } catch (error) {
        logger.warn({ err: error }, "maintenance job schedulers not set up");
      }
      void worker.run().catch((error: unknown) => logger.error({ err: error }, "webhook worker stopped"));
      void maintenance.run().catch((error: unknown) => logger.error({ err: error }, "maintenance worker stopped"));
    },
    async close() {
      await worker.close();
      await maintenance.close();
      await queue.close();
      await maintenanceQueue.close();
      await guarded.close();
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;

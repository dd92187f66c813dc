/**
 * The worker process: reads env, checks Redis will never evict queued jobs and the schema
 * is migrated, connects storage and the embedders (the platform's, and each workspace's
 * own BYOK settings per job), runs the ingest worker and its ops server (health, metrics). On
 * SIGTERM (see runService) running jobs hand themselves back to the queue at their next
 * checkpoint, then Redis and the database close.
 */
import { runService, StartupError } from "@docent/config/run-service";
import { createDb } from "@docent/db/client";
import { assertDatabaseReady } from "@docent/db/ready";
import { resolveEmbedder } from "@docent/embeddings/resolve";
import { assertNoEviction, createRedis, RedisEvictionPolicyError } from "@docent/queue/redis";
import { createMetricsRegistry } from "@docent/service-kit/metrics";
import { createStorageFromEnv } from "@docent/storage/env";
import { workerEnvSchema } from "./env";
import { startOpsServer } from "./ops-server";
import { removeOrphanSpools, removeOwnSpoolDir } from "./pipeline/spool";
import type { EmbedderLike } from "./pipeline/embed";
import { withEmbedDelay } from "./test-hooks";
import { createIngestWorker, workspaceEmbedderFor } from "./worker";
import { createCrawlWorker } from "./crawl-worker";
import { createInsightsWorker } from "./insights-worker";
import { createWebhookWorker } from "./webhooks/webhook-worker";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { createErrorLogWriter } from "@docent/service-kit/error-log";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { createWebhookQueue } from "@docent/queue/webhooks";

await runService({
  name: "worker",
  envSchema: workerEnvSchema,
  async start({ env, logger, isShuttingDown }) {
    const redis = createRedis(env.REDIS_URL, "worker");
    redis.on("error", (error) => logger.error({ err: error }, "redis error"));
    try {
      await assertNoEviction(redis);
    } catch (error) {
      redis.disconnect();
      if (error instanceof RedisEvictionPolicyError) throw new StartupError(error.message);
      throw error;
    }
    const database = createDb({
      url: env.DATABASE_URL,
      max: env.DATABASE_POOL_MAX,
      applicationName: "docent-worker",
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
    await assertDatabaseReady(database.sql, env.DATABASE_URL);
    const storage = createStorageFromEnv(env);
    const platformEmbedder: EmbedderLike = resolveEmbedder({ env });
    const { embedder, embedderFor } = withEmbedDelay(
      { embedder: platformEmbedder, embedderFor: workspaceEmbedderFor(database.db, env) },
      env.NODE_ENV === "test" ? env.DOCENT_TEST_EMBED_DELAY_MS : 0,
    );
    await removeOrphanSpools();

    const metrics = createMetricsRegistry({ service: "worker", processMetrics: true });
    const errorLog = createErrorLogWriter({ db: database.db, service: "worker", logger: logger.child({ component: "error-log" }) });
    // Producers answer fast when Redis is down: the outbox row waits for the sweeper.
    const webhookProducer = createRedis(env.REDIS_URL, "producer");
    webhookProducer.on("error", (error) => logger.warn({ err: error }, "webhook producer redis error"));
    const webhookQueue = createWebhookQueue({ connection: webhookProducer, prefix: env.QUEUE_PREFIX });
    webhookQueue.on("error", (error) => logger.warn({ err: error }, "webhook queue error"));
    const webhooks = createWebhookEmitter({ db: database.db, queue: webhookQueue, logger: logger.child({ component: "webhooks" }) });
    const webhookWorker = createWebhookWorker({
      db: database.db,
      redis,
      queuePrefix: env.QUEUE_PREFIX,
      logger,
      secretBox: env.DOCENT_ENCRYPTION_KEYS ? createSecretBox(parseKeyRing(env.DOCENT_ENCRYPTION_KEYS)) : null,
      concurrency: env.WEBHOOK_CONCURRENCY,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      sweepIntervalMs: env.WEBHOOK_SWEEP_INTERVAL_MS,
      policy: env.ALLOW_PRIVATE_WEBHOOK_URLS ? { allowPrivate: true } : {},
      errorLogRetentionDays: env.ERROR_LOG_RETENTION_DAYS,
      errorLogPruneIntervalMs: env.ERROR_LOG_PRUNE_INTERVAL_MS,
      errorLog,
    });
    const ingest = createIngestWorker({
      db: database.db,
      sql: database.sql,
      storage,
      redis,
      queuePrefix: env.QUEUE_PREFIX,
      embedder,
      embedderFor,
      logger,
      concurrency: env.WORKER_CONCURRENCY,
      timings: {
        lockDurationMs: env.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
      },
      embedBatchSize: env.EMBED_BATCH_SIZE,
      progressIntervalMs: env.PROGRESS_INTERVAL_MS,
      reaper: { intervalMs: env.REAPER_INTERVAL_MS, staleAfterMs: env.REAPER_STALE_AFTER_MS },
      outageDeadlineMs: env.WORKER_OUTAGE_DEADLINE_MS,
      fetchOptions: { maxBytes: env.URL_FETCH_MAX_BYTES, timeoutMs: env.URL_FETCH_TIMEOUT_MS },
      metrics,
      webhooks,
      errorLog,
    });
    const crawl = createCrawlWorker({
      db: database.db,
      storage,
      redis,
      queuePrefix: env.QUEUE_PREFIX,
      logger: logger.child({ component: "crawl" }),
      concurrency: env.CRAWL_CONCURRENCY,
      fetch: {
        allowPrivate: env.ALLOW_PRIVATE_SOURCE_URLS,
        maxBytes: env.CRAWL_PAGE_MAX_BYTES,
        timeoutMs: env.CRAWL_REQUEST_TIMEOUT_MS,
        userAgent: env.CRAWL_USER_AGENT,
      },
      hostIntervalMs: env.CRAWL_HOST_INTERVAL_MS,
      pagesInFlight: env.CRAWL_PAGES_IN_FLIGHT,
      progressIntervalMs: env.PROGRESS_INTERVAL_MS,
      outageDeadlineMs: env.WORKER_OUTAGE_DEADLINE_MS,
    });
    const insights = createInsightsWorker({
      db: database.db,
      redis,
      queuePrefix: env.QUEUE_PREFIX,
      logger: logger.child({ component: "insights" }),
      weakScore: env.ANALYTICS_WEAK_SCORE,
      days: env.TOPIC_STATS_DAYS,
      outageDeadlineMs: env.WORKER_OUTAGE_DEADLINE_MS,
    });
    const ops = await startOpsServer({
      host: env.HOST,
      port: env.WORKER_OPS_PORT,
      isShuttingDown,
      metrics: { registry: metrics, token: env.METRICS_TOKEN },
      checks: {
        postgres: () => database.sql`select 1`,
        redis: () => redis.ping(),
        worker: async () => {
          if (!ingest.worker.isRunning()) throw new Error("not running");
        },
      },
    });
    ingest.worker.on("ready", () =>
      logger.info(
        {
          concurrency: env.WORKER_CONCURRENCY,
          embedder: embedder.id,
          workspaceKeys: Boolean(env.DOCENT_ENCRYPTION_KEYS),
          opsPort: ops.port,
        },
        "worker ready",
      ),
    );
    ingest.start();
    await crawl.start();
    await insights.start();
    await webhookWorker.start();

    return {
      async stop() {
        await insights.close();
        await crawl.close();
        await ingest.close();
        await webhookWorker.close();
        await webhookQueue.close();
        webhookProducer.disconnect();
        await removeOwnSpoolDir();
        await ops.close();
        await redis.quit().catch(() => redis.disconnect());
        await database.close();
      },
    };
  },
});

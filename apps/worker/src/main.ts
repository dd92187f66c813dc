/**
 * The worker process: reads env, checks Redis will never evict queued jobs, connects to
 * Postgres, storage and the embedders (the platform's, and each workspace's own BYOK
 * settings per job), runs the ingest worker, and on SIGTERM/SIGINT shuts down in order
 * (worker, then Redis, then the database) within a time limit.
 */
import { loadEnvOrExit } from "@docent/config/env";
import { createLogger } from "@docent/config/logger";
import { createDb } from "@docent/db/client";
import { resolveEmbedder } from "@docent/embeddings";
import { assertNoEviction, createRedis } from "@docent/queue/redis";
import { createStorageFromEnv } from "@docent/storage/env";
import { workerEnvSchema } from "./env";
import { removeOrphanSpools, removeOwnSpoolDir } from "./pipeline/spool";
import { createIngestWorker, workspaceEmbedderFor } from "./worker";
import type { EmbedderLike } from "./processors/ingest-document";

const env = loadEnvOrExit(workerEnvSchema);
const logger = createLogger({ service: "worker", level: env.LOG_LEVEL });

async function main() {
  const redis = createRedis(env.REDIS_URL, "worker");
  redis.on("error", (error) => logger.error({ err: error }, "redis error"));
  try {
    await assertNoEviction(redis);
  } catch (error) {
    logger.fatal({ err: error }, (error as Error).message);
    redis.disconnect();
    process.exit(1);
  }
  const database = createDb({
    url: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    applicationName: "docent-worker",
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const storage = createStorageFromEnv(env);
  const embedder: EmbedderLike = resolveEmbedder({ env });
  const embedderFor = workspaceEmbedderFor(database.db, env);
  const testDelay = env.NODE_ENV === "test" ? env.DOCENT_TEST_EMBED_DELAY_MS : 0;
  await removeOrphanSpools();

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
    testEmbedDelayMs: testDelay,
  });
  ingest.worker.on("ready", () =>
    logger.info(
      { concurrency: env.WORKER_CONCURRENCY, embedder: embedder.id, workspaceKeys: Boolean(env.DOCENT_ENCRYPTION_KEYS) },
      "worker ready",
    ),
  );
  ingest.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; exiting (unfinished jobs will be recovered as stalled)");
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await ingest.close();
      await removeOwnSpoolDir();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
      logger.info("shutdown complete");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});

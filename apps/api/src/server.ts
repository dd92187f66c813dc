/**
 * Entry point: read env, connect (Postgres, Redis, object storage, the ingest queue),
 * make sure the plan/template catalog exists, listen. SIGTERM/SIGINT: readiness turns
 * 503, the server stops accepting and finishes in-flight requests, then the queue and the
 * pools close; a timeout forces exit if something hangs.
 */
import { loadEnvOrExit } from "@docent/config/env";
import { ensureCatalog } from "@docent/db/catalog";
import { createDb } from "@docent/db/client";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { createServiceLogger } from "@docent/service-kit/logger";
import { createStorageFromEnv } from "@docent/storage/env";
import { Redis } from "ioredis";
import { buildApp } from "./app";
import { apiEnvSchema } from "./env";

const SHUTDOWN_TIMEOUT_MS = 15_000;

const env = loadEnvOrExit(apiEnvSchema);
const logger = createServiceLogger({ service: "api", level: env.LOG_LEVEL });
const database = createDb({
  url: env.DATABASE_URL,
  max: env.DATABASE_POOL_MAX,
  applicationName: "docent-api",
  connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
  statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
});
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
// Producer connection for the ingest queue and document status events (offline queue on).
const jobsRedis = createRedis(env.REDIS_URL, "producer");
jobsRedis.on("error", (error) => logger.warn({ err: error }, "redis (jobs) connection error"));
const queue = createIngestQueue({ connection: jobsRedis, prefix: env.QUEUE_PREFIX });
queue.on("error", (error) => logger.warn({ err: error }, "ingest queue error"));
const storage = createStorageFromEnv(env);
logger.info({ driver: storage.driver, queuePrefix: env.QUEUE_PREFIX }, "documents storage and queue configured");

await ensureCatalog(database.db);

let shuttingDown = false;
const app = await buildApp({
  env,
  db: database.db,
  redis,
  storage,
  queue,
  jobsRedis,
  logger,
  isShuttingDown: () => shuttingDown,
});
await app.listen({ host: env.HOST, port: env.PORT });

async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    logger.error("shutdown timed out; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  force.unref();
  try {
    await app.close();
    await queue.close();
    await Promise.allSettled([database.close(), redis.quit(), jobsRedis.quit()]);
    logger.info("shutdown complete");
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

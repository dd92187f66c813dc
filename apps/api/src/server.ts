/**
 * The API process: connect (Postgres, Redis, object storage, the ingest queue), check the
 * schema is migrated, add the catalog plans and templates that are missing (and apply
 * DEFAULT_PLAN), listen, and serve `/metrics` on the metrics listener. On SIGTERM
 * (see runService) readiness turns 503, the server stops accepting and finishes in-flight
 * requests, then the queue and the connections close.
 */
import { runService, StartupError } from "@docent/config/run-service";
import { ensureCatalog, UnknownPlanError } from "@docent/db/catalog";
import { createDb } from "@docent/db/client";
import { assertDatabaseReady } from "@docent/db/ready";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { withHttpSerializers } from "@docent/http-kit/logger";
import { createMetricsRegistry, listenForScrapes } from "@docent/service-kit/metrics";
import { createStorageFromEnv } from "@docent/storage/env";
import { Redis } from "ioredis";
import { buildApp } from "./app";
import { apiEnvSchema } from "./env";

await runService({
  name: "api",
  envSchema: apiEnvSchema,
  async start({ env, logger, isShuttingDown }) {
    const database = createDb({
      url: env.DATABASE_URL,
      max: env.DATABASE_POOL_MAX,
      applicationName: "docent-api",
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
    await assertDatabaseReady(database.sql, env.DATABASE_URL);
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
    redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
    // Producer connection for the ingest queue and document status events (offline queue on).
    const jobsRedis = createRedis(env.REDIS_URL, "producer");
    jobsRedis.on("error", (error) => logger.warn({ err: error }, "redis (jobs) connection error"));
    const queue = createIngestQueue({ connection: jobsRedis, prefix: env.QUEUE_PREFIX });
    queue.on("error", (error) => logger.warn({ err: error }, "ingest queue error"));
    const storage = createStorageFromEnv(env);
    logger.info({ driver: storage.driver, queuePrefix: env.QUEUE_PREFIX }, "documents storage and queue configured");

    try {
      await ensureCatalog(database.db, { defaultPlan: env.DEFAULT_PLAN });
    } catch (error) {
      if (error instanceof UnknownPlanError) throw new StartupError(`DEFAULT_PLAN=${env.DEFAULT_PLAN}: ${error.message}`);
      throw error;
    }

    const metrics = createMetricsRegistry({ service: "api", processMetrics: true });
    const app = await buildApp({
      env,
      db: database.db,
      redis,
      storage,
      queue,
      jobsRedis,
      logger: withHttpSerializers(logger),
      isShuttingDown,
      metrics,
    });
    await app.listen({ host: env.HOST, port: env.PORT });
    const metricsServer = await listenForScrapes(env, metrics, logger);

    return {
      async stop() {
        await app.close();
        await metricsServer?.close();
        await queue.close();
        await Promise.allSettled([database.close(), redis.quit(), jobsRedis.quit()]);
      },
    };
  },
});

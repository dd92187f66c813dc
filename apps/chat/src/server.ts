/**
 * The chat process: connect (Postgres, Redis), check the schema is migrated, listen on
 * PORT (3001), serve `/metrics` on the metrics listener, run queued evaluations. On SIGTERM
 * (see runService) readiness turns 503, new requests get 503 and
 * the streams in flight finish before the connections close.
 */
import { runService } from "@docent/config/run-service";
import { createDb } from "@docent/db/client";
import { assertDatabaseReady } from "@docent/db/ready";
import { createEvalQueue } from "@docent/queue/evals";
import { createRedis } from "@docent/queue/redis";
import { withHttpSerializers } from "@docent/http-kit/logger";
import { createMetricsRegistry, listenForScrapes } from "@docent/service-kit/metrics";
import { buildApp } from "./app";
import { chatEnvSchema } from "./env";

await runService({
  name: "chat",
  envSchema: chatEnvSchema,
  async start({ env, logger, isShuttingDown }) {
    const database = createDb({
      url: env.DATABASE_URL,
      max: env.DATABASE_POOL_MAX,
      applicationName: "docent-chat",
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
    await assertDatabaseReady(database.sql, env.DATABASE_URL);
    // Rate limits and budgets: fails fast while Redis is down, so requests answer 503.
    const redis = createRedis(env.REDIS_URL, "request");
    redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));

    // Evaluation runs: queued from the routes, consumed here (see evals/worker.ts).
    const jobsRedis = createRedis(env.REDIS_URL, "producer");
    jobsRedis.on("error", (error) => logger.warn({ err: error }, "redis (jobs) connection error"));
    const evalQueue = createEvalQueue({ connection: jobsRedis, prefix: env.QUEUE_PREFIX });
    evalQueue.on("error", (error) => logger.warn({ err: error }, "evaluation queue error"));
    const workerRedis = env.EVAL_WORKER_CONCURRENCY > 0 ? createRedis(env.REDIS_URL, "worker") : null;
    workerRedis?.on("error", (error) => logger.warn({ err: error }, "redis (evaluation worker) connection error"));

    const metrics = createMetricsRegistry({ service: "chat", processMetrics: true });
    const app = await buildApp({
      env,
      database,
      redis,
      logger: withHttpSerializers(logger),
      isShuttingDown,
      metrics,
      evalQueue,
      ...(workerRedis ? { evalWorker: { connection: workerRedis, prefix: env.QUEUE_PREFIX, concurrency: env.EVAL_WORKER_CONCURRENCY } } : {}),
    });
    await app.listen({ host: env.HOST, port: env.PORT });
    const metricsServer = await listenForScrapes(env, metrics, logger);
    logger.info(
      { port: env.PORT, llm: env.LLM_BASE_URL ? env.LLM_MODEL : "extractive (no LLM_BASE_URL)", embeddings: env.EMBEDDING_PROVIDER },
      "chat service listening",
    );

    return {
      async stop() {
        await app.close();
        await metricsServer?.close();
        await evalQueue.close().catch(() => {});
        await database.close();
        await Promise.allSettled([
          redis.quit().catch(() => redis.disconnect()),
          jobsRedis.quit().catch(() => jobsRedis.disconnect()),
          workerRedis?.quit().catch(() => workerRedis.disconnect()),
        ]);
      },
    };
  },
});

/** Entry point: env, connections, listen on PORT (3001), graceful SIGTERM. */
import { loadEnvOrExit } from "@docent/config/env";
import { createDb } from "@docent/db/client";
import { createServiceLogger } from "@docent/service-kit/logger";
import { createRedis } from "@docent/queue/redis";
import { buildApp } from "./app";
import { chatEnvSchema } from "./env";

const env = loadEnvOrExit(chatEnvSchema);
const logger = createServiceLogger({ service: "chat", level: env.LOG_LEVEL });
const database = createDb({
  url: env.DATABASE_URL,
  max: env.DATABASE_POOL_MAX,
  applicationName: "docent-chat",
  connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
  statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
});
// Rate limits and budgets: fails fast while Redis is down, so requests answer 503.
const redis = createRedis(env.REDIS_URL, "request");
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));

const app = await buildApp({ env, database, redis, logger });
await app.listen({ host: env.HOST, port: env.PORT });
logger.info(
  { port: env.PORT, llm: env.LLM_BASE_URL ? env.LLM_MODEL : "extractive (no LLM_BASE_URL)", embeddings: env.EMBEDDING_PROVIDER },
  "chat service listening",
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  const timer = setTimeout(() => {
    logger.error("shutdown timed out; exiting");
    process.exit(1);
  }, 15_000);
  timer.unref();
  try {
    await app.close();
    await database.close();
    redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

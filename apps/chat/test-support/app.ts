/**
 * Builds the chat app for integration tests on the test database and Redis prefix, with
 * env overrides, and helpers for API keys and SSE bodies.
 */
import { randomBytes } from "node:crypto";
import { parseEnv } from "@docent/config/env";
import { ensureCatalog } from "@docent/db/catalog";
import { createLocalEmbedder } from "@docent/embeddings/local";
import { createLogger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import type { ApiKeyScope } from "@docent/contracts/json";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { type TestDatabase, useTestDatabase } from "@docent/testing/db";
import { createApiKey } from "@docent/testing/factories";
import { type TestRedis, useTestRedis } from "@docent/testing/redis";
import { afterAll } from "vitest";
import { buildApp, type BuildAppOptions } from "../src/app";
import { chatEnvSchema } from "../src/env";

export async function buildTestApp(
  db: TestDatabase,
  redis: TestRedis,
  env: Record<string, string> = {},
  overrides: Pick<BuildAppOptions, "embedderFor" | "responderFor" | "workspaceFetch" | "metrics" | "rerankerFor" | "evalQueue" | "evalWorker"> = {},
) {
  const parsed = parseEnv(chatEnvSchema, {
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    CHAT_REDIS_PREFIX: redis.prefix,
    // Webhook jobs stay under this file's prefix.
    QUEUE_PREFIX: redis.prefix,
    ...env,
  });
  return buildApp({
    env: parsed,
    database: db,
    redis: redis.client,
    logger: createLogger({ service: "chat-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    ...overrides,
  });
}

/**
 * The usual start of a chat integration test file: its own database (with the plan
 * catalog) and Redis prefix, the offline embedder, and the app, closed after the file.
 */
export async function useChatTestApp() {
  const services = await useChatTestServices();
  const app = await buildTestApp(services.db, services.redis);
  afterAll(() => app.close());
  return { ...services, app };
}

/** For files that build their own apps: the test database (with the plan catalog), a Redis prefix, the offline embedder. */
export async function useChatTestServices() {
  const db = await useTestDatabase();
  const redis = useTestRedis();
  await ensureCatalog(db.db);
  return { db, redis, embedder: createLocalEmbedder() };
}

/** A fresh key ring (the DOCENT_ENCRYPTION_KEYS value to give the app) and the box that seals workspaces' keys with it. */
export function testKeyRing() {
  const keyRing = `k1:${randomBytes(32).toString("base64")}`;
  return { keyRing, box: createSecretBox(parseKeyRing(keyRing)) };
}

export async function createTestApiKey(
  db: Database,
  workspaceId: string,
  opts: { scopes?: ApiKeyScope[]; botId?: string | null } = {},
): Promise<string> {
  const { secret } = await createApiKey(db, {
    workspaceId,
    key: newApiKey(),
    botId: opts.botId ?? null,
    scopes: opts.scopes ?? ["chat", "analytics:read", "bots:read"],
  });
  return secret;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a complete `text/event-stream` body into its events. */
export function parseSse(body: string): SseEvent[] {
  return body
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      let parsed: unknown = data;
      try {
        parsed = JSON.parse(data);
      } catch {
        // "[DONE]" and other plain data stay strings
      }
      return { event, data: parsed };
    });
}

/**
 * The chat server (src/server.ts) while PostgreSQL or Redis restarts: chat routes answer
 * 503 with Retry-After (the OpenAI-compatible route in OpenAI's error format) and work
 * again right after; a streamed answer whose database goes away mid-stream ends with an
 * `error` event carrying the 503, instead of a 500 or a stream left open. The model is a
 * local server speaking OpenAI's protocol, paused mid-stream on demand.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { addOrigin } from "@docent/db/queries/origins";
import { createLocalEmbedder } from "@docent/embeddings";
import { startTestLlmServer } from "@docent/chat/test-support/llm-server";
import { useTestDatabase } from "@docent/testing/db";
import { addDocument } from "@docent/testing/factories";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { call, callUntil, sseEvents, type Answer, type SseEvent } from "./http";
import { startPostgres, startRedis, stopPostgres, stopRedis } from "./own-services";
import { startServer } from "./processes";
import { seedTenant } from "./seed";

const own = inject("ownServices");
const database = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(database.db);
const { bot, apiKey } = await seedTenant(database.db);
const siteOrigin = "https://shop.example.com";
await addOrigin(database.db, { botId: bot.id, origin: siteOrigin });
await addDocument(database.db, bot, {
  name: "returns.md",
  chunks: ["Our returns desk accepts parcels until six in the evening.", "Refunds arrive within ten working days of the parcel reaching us."],
  embedder: createLocalEmbedder(),
});
const llm = await startTestLlmServer();
afterAll(() => llm.close());
const chat = await startServer("chat", {
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  CHAT_REDIS_PREFIX: redis.prefix,
  LLM_BASE_URL: llm.baseUrl,
  LLM_API_KEY: "sk-test",
  EMBEDDING_PROVIDER: "local",
  DATABASE_CONNECT_TIMEOUT_MS: "2000",
});
const auth = { authorization: `Bearer ${apiKey}` };
const question = { message: "Until when does the returns desk accept parcels?" };
const ask = () => call(chat.url, "POST", `/v1/bots/${bot.id}/chat`, { headers: auth, body: question });
const completion = () =>
  call(chat.url, "POST", "/v1/chat/completions", {
    headers: auth,
    body: { model: bot.id, messages: [{ role: "user", content: question.message }] },
  });
const widget = () =>
  call(chat.url, "POST", `/v1/widget/${bot.publicId}/chat`, { headers: { origin: siteOrigin }, body: { ...question, stream: false } });

function expectUnavailable(answer: Answer) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("5");
  expect(answer.body).toMatchObject({ statusCode: 503, error: "SERVICE_UNAVAILABLE", details: { retryAfterSeconds: 5 } });
  expect(answer.ms).toBeLessThan(4000);
}

describe("chat while PostgreSQL restarts", () => {
  it("answers 503 with Retry-After during the outage and normally right after", async () => {
    expect((await ask()).status).toBe(200);
    await stopPostgres(own);
    let restarted = false;
    try {
      expectUnavailable(await ask());
      const openAi = await completion();
      expect(openAi.status).toBe(503);
      expect(openAi.headers.get("retry-after")).toBe("5");
      expect(openAi.body).toMatchObject({ error: { type: "api_error", code: "service_unavailable" } });
      await startPostgres(own);
      restarted = true;
    } finally {
      if (!restarted) await startPostgres(own);
    }
    await callUntil(ask, (a) => a.status === 200, 15_000);
    expect((await completion()).status).toBe(200);
  });

  it("ends a streamed answer with an error event when the database goes away mid-stream", async () => {
    let release!: () => void;
    llm.holdStreams(new Promise<void>((resolve) => (release = resolve)));
    const response = await fetch(`${chat.url}/v1/bots/${bot.id}/chat`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ ...question, stream: true }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(200);
    const events: SseEvent[] = [];
    let restarted = false;
    try {
      for await (const event of sseEvents(response)) {
        events.push(event);
        if (event.event === "token" && !restarted) {
          // The answer is streaming; the database goes away before it is stored.
          await stopPostgres(own);
          release();
          restarted = true;
        }
      }
    } finally {
      llm.holdStreams(null);
      release();
      await startPostgres(own);
    }
    expect(events[0]?.event).toBe("start");
    const last = events.at(-1)!;
    expect(last.event).toBe("error");
    expect(last.data).toMatchObject({ statusCode: 503, error: "SERVICE_UNAVAILABLE" });
    expect(events.some((e) => e.event === "done")).toBe(false);
    await callUntil(ask, (a) => a.status === 200, 15_000);
  });
});

describe("chat while Redis restarts", () => {
  it("answers the widget 503 with Retry-After (its limits live in Redis) and recovers", async () => {
    expect((await widget()).status).toBe(200);
    await stopRedis(own);
    let restarted = false;
    try {
      expectUnavailable(await widget());
      await startRedis(own);
      restarted = true;
    } finally {
      if (!restarted) await startRedis(own);
    }
    await callUntil(widget, (a) => a.status === 200, 15_000);
  });
});

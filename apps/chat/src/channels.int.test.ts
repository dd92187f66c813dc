/**
 * Public channels over a real listening server: the widget (Origin allowlist, no API
 * keys, rate limits, daily token budget, visitor-only feedback) and the OpenAI-compatible
 * API driven by the official `openai` SDK, streamed and not, with the BYOK LLM path
 * through the test LLM server and a real sealed workspace key.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { addOrigin } from "@docent/db/queries/origins";
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { createLocalEmbedder } from "@docent/embeddings";
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import OpenAI from "openai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, parseSse } from "../test-support/app";
import { addDocument, createBot, createWorkspaceWithBot, ensureFreePlan } from "../test-support/fixtures";
import { startTestLlmServer } from "../test-support/llm-server";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureFreePlan(db.db);
const embedder = createLocalEmbedder();
const keyRing = `k1:${randomBytes(32).toString("base64")}`;
const app = await buildTestApp(db, redis, {
  DOCENT_ENCRYPTION_KEYS: keyRing,
  // The workspace's test LLM server listens on 127.0.0.1.
  ALLOW_PRIVATE_MODEL_URLS: "true",
  WIDGET_RATE_LIMIT_PER_IP: "100",
  WIDGET_RATE_LIMIT_PER_VISITOR: "3",
});
await app.listen({ host: "127.0.0.1", port: 0 });
const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
const llm = await startTestLlmServer({ apiKey: "sk-byok-live-key" });
afterAll(async () => {
  await app.close();
  await llm.close();
});
beforeEach(() => redis.flush());

const shop = await createWorkspaceWithBot(db.db, { name: "Shop assistant" });
const { document: shipping } = await addDocument(db.db, embedder, shop.bot, "shipping.md", [
  "Orders ship within two business days from our Lyon warehouse.",
  "Returns are free within thirty days of delivery.",
]);
await addOrigin(db.db, { botId: shop.bot.id, origin: "https://*.shop.example" });
await addOrigin(db.db, { botId: shop.bot.id, origin: "https://partner.example.org" });
const lonely = await createBot(db.db, shop.workspace.id, { name: "No sites yet" });
const shopKey = await createTestApiKey(db.db, shop.workspace.id);

const widget = (publicId: string, path: string, origin?: string, extra: Record<string, string> = {}) => ({
  url: `/v1/widget/${publicId}/${path}`,
  headers: { ...(origin ? { origin } : {}), ...extra },
});

describe("widget", () => {
  it("serves config and answers (streamed) to an allowed origin, wildcard included", async () => {
    const config = await app.inject({ method: "GET", ...widget(shop.bot.publicId, "config", "https://www.shop.example") });
    expect(config.statusCode).toBe(200);
    expect(config.headers["access-control-allow-origin"]).toBe("https://www.shop.example");
    expect(config.json()).toMatchObject({ botName: "Shop assistant", headerText: "Chat Assistant" });

    const preflight = await app.inject({ method: "OPTIONS", ...widget(shop.bot.publicId, "chat", "https://partner.example.org") });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");

    const res = await app.inject({
      method: "POST",
      ...widget(shop.bot.publicId, "chat", "https://partner.example.org"),
      payload: { message: "How fast do orders ship?" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("https://partner.example.org");
    const events = parseSse(res.body);
    const start = events[0]!.data as { visitorId: string; conversationId: string };
    expect(start.visitorId).toMatch(/^v_/);
    const done = events.at(-1)!.data as { answer: string; citations: { documentId: string }[]; messageId: string };
    expect(done.answer).toContain("two business days");
    expect(done.citations[0]!.documentId).toBe(shipping.id);

    // Only the visitor who got the answer may rate it.
    const stranger = await app.inject({
      method: "POST",
      ...widget(shop.bot.publicId, `messages/${done.messageId}/feedback`, "https://partner.example.org"),
      payload: { rating: 1, visitorId: "v_someone-else-entirely" },
    });
    expect(stranger.statusCode).toBe(404);
    const own = await app.inject({
      method: "POST",
      ...widget(shop.bot.publicId, `messages/${done.messageId}/feedback`, "https://partner.example.org"),
      payload: { rating: 1, visitorId: start.visitorId },
    });
    expect(own.statusCode).toBe(200);
  });

  it("refuses a foreign origin, a missing origin and a bot with an empty allowlist", async () => {
    for (const origin of ["https://evil.example.net", "https://shop.example", undefined]) {
      const res = await app.inject({ method: "POST", ...widget(shop.bot.publicId, "chat", origin), payload: { message: "hi" } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe("ORIGIN_NOT_ALLOWED");
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    }
    const empty = await app.inject({ method: "GET", ...widget(lonely.publicId, "config", "https://www.shop.example") });
    expect(empty.statusCode).toBe(403);
    expect(empty.json().message).toMatch(/not enabled on any site/);
  });

  it("never accepts a workspace API key", async () => {
    const res = await app.inject({
      method: "POST",
      ...widget(shop.bot.publicId, "chat", "https://www.shop.example", { authorization: `Bearer ${shopKey}` }),
      payload: { message: "hi" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("API_KEY_NOT_ALLOWED");
    expect(res.body).not.toContain(shopKey);
  });

  it("rate limits a visitor, with Retry-After", async () => {
    const visitorId = "v_rate-limit-visitor-0001";
    const send = () =>
      app.inject({
        method: "POST",
        ...widget(shop.bot.publicId, "chat", "https://www.shop.example"),
        payload: { message: "Are returns free?", visitorId, stream: false },
      });
    for (let i = 0; i < 3; i++) expect((await send()).statusCode).toBe(200);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe("RATE_LIMITED");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("stops a bot's widget once its daily token budget is spent", async () => {
    const tight = await buildTestApp(db, redis, { WIDGET_DAILY_TOKEN_BUDGET: "20000" });
    try {
      const ask = () =>
        tight.inject({
          method: "POST",
          ...widget(shop.bot.publicId, "chat", "https://www.shop.example"),
          payload: { message: "Are returns free?", stream: false },
        });
      expect((await ask()).statusCode).toBe(200);
      // Spend the rest of the day's budget.
      await redis.client.set(`${redis.prefix}:tokens:${shop.bot.id}:${new Date().toISOString().slice(0, 10)}`, "20000");
      const over = await ask();
      expect(over.statusCode).toBe(429);
      expect(over.json().error).toBe("DAILY_BUDGET_EXHAUSTED");
    } finally {
      await tight.close();
    }
  });
});

describe("OpenAI-compatible API with the official openai SDK", () => {
  const client = new OpenAI({ baseURL, apiKey: shopKey, maxRetries: 0 });

  it("lists the workspace's bots as models", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining([shop.bot.id, lonely.id]));
  });

  it("answers a completion with OpenAI's shape plus citations", async () => {
    const completion = await client.chat.completions.create({
      model: shop.bot.id,
      messages: [{ role: "user", content: "Are returns free?" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toContain("Returns are free within thirty days");
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
    const citations = (completion as unknown as { citations: { documentId: string }[] }).citations;
    expect(citations[0]!.documentId).toBe(shipping.id);
  });

  it("streams a completion chunk by chunk, citations on the final chunk", async () => {
    const stream = await client.chat.completions.create({
      model: shop.bot.publicId,
      messages: [{ role: "user", content: "Where do orders ship from?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let citations: { documentId: string }[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      citations = (chunk as unknown as { citations?: typeof citations }).citations ?? citations;
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain("Lyon warehouse");
    expect(finish).toBe("stop");
    expect(citations[0]!.documentId).toBe(shipping.id);
    expect(usage!.completion_tokens).toBeGreaterThan(0);
  });

  it("reports an unknown model and a bad key the way the SDK expects", async () => {
    await expect(
      client.chat.completions.create({ model: "no-such-bot", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining("no-such-bot") });
    const bad = new OpenAI({ baseURL, apiKey: "dk_live_wrong", maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401 });
  });

  it("generates through the workspace's own LLM (BYOK key sealed in the database)", async () => {
    const byok = await createWorkspaceWithBot(db.db, { name: "BYOK" });
    await addDocument(db.db, embedder, byok.bot, "hours.txt", ["The store opens at nine on Saturdays."]);
    const box = createSecretBox(parseKeyRing(keyRing));
    await upsertTenantSettings(db.db, byok.workspace.id, {
      llmProvider: "openai_compatible",
      llmBaseUrl: llm.baseUrl,
      llmModel: "byok-model",
      llmApiKeyCiphertext: box.seal("sk-byok-live-key", byokAad(byok.workspace.id, "llm")),
      llmApiKeyHint: "sk-...-key",
    });
    llm.setReply(() => "It opens at nine on Saturdays [1].");
    const byokClient = new OpenAI({ baseURL, apiKey: await createTestApiKey(db.db, byok.workspace.id), maxRetries: 0 });
    const stream = await byokClient.chat.completions.create({
      model: byok.bot.id,
      messages: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi! How can I help?" },
        { role: "user", content: "When does the store open on Saturdays?" },
      ],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("It opens at nine on Saturdays [1].");
    const upstream = llm.requests.at(-1)!;
    expect(upstream.authorization).toBe("Bearer sk-byok-live-key");
    expect(upstream.body.model).toBe("byok-model");
    expect(upstream.body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(upstream.body.messages[0]!.content).toContain("The store opens at nine on Saturdays.");
  });
});

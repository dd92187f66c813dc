/**
 * Public channels over a real listening server: the widget (Origin allowlist, no API
 * keys, rate limits, daily token budget, visitor-only feedback) and the OpenAI-compatible
 * API driven by the official `openai` SDK, streamed and not, with the BYOK LLM path
 * through the test LLM server and a real sealed workspace key.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { addOrigin } from "@docent/db/queries/origins";
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, parseSse } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";
import { createBot } from "@docent/testing/factories";
import { startTestLlmServer } from "../test-support/llm-server";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
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
const lonely = await createBot(db.db, { workspaceId: shop.workspace.id, name: "No sites yet" });
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

describe("answers people can trust: streams equal stored answers on every channel", async () => {
  const team = await createWorkspaceWithBot(db.db, { name: "Plans bot" });
  const { document: pricing } = await addDocument(db.db, embedder, team.bot, "pricing.md", ["The Pro plan costs forty euros per month."]);
  const { document: support } = await addDocument(db.db, embedder, team.bot, "support.md", ["The Pro plan includes email support on weekdays."]);
  await addOrigin(db.db, { botId: team.bot.id, origin: "https://plans.example" });
  await upsertTenantSettings(db.db, team.workspace.id, {
    llmProvider: "openai_compatible",
    llmBaseUrl: llm.baseUrl,
    llmModel: "team-model",
    llmApiKeyCiphertext: createSecretBox(parseKeyRing(keyRing)).seal("sk-byok-live-key", byokAad(team.workspace.id, "llm")),
  });
  const client = new OpenAI({ baseURL, apiKey: await createTestApiKey(db.db, team.workspace.id), maxRetries: 0 });
  const question = "What does the Pro plan cost and does it include email support?";
  /** Cites support.md first (whatever its source number), splits markers, and invents [9]. */
  const tricky = (r: { body: { messages: { content: string }[] } }) => {
    const system = r.body.messages[0]!.content;
    const n = (name: string) => new RegExp(`\\[(\\d)\\] \\(${name.replace(".", "\\.")}\\)`).exec(system)![1]!;
    return ["Support is by email [", n("support.md"), "] [", "9]. It costs forty euros [", `${n("pricing.md")}][${n("support.md")}`, "] a month [1", "2]."];
  };
  const expected = "Support is by email [1]. It costs forty euros [2][1] a month.";
  const storedText = async (messageId: string) => (await db.db.select().from(s.messages).where(eq(s.messages.id, messageId)))[0]!.content;

  it("gives the SDK, streamed and not, exactly the stored text, citations numbered in reading order", async () => {
    llm.setReply(tricky);
    const stream = await client.chat.completions.create({ model: team.bot.publicId, messages: [{ role: "user", content: question }], stream: true });
    let text = "";
    let last: Record<string, unknown> = {};
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? "";
      expect(piece).not.toMatch(/\[\d*$|9\]/);
      text += piece;
      if (chunk.choices[0]?.finish_reason) last = chunk as unknown as Record<string, unknown>;
    }
    const docent = last.docent as { messageId: string };
    expect(text).toBe(expected);
    expect(await storedText(docent.messageId)).toBe(expected);
    expect((last.citations as { index: number; documentId: string }[]).map((c) => [c.index, c.documentId])).toEqual([
      [1, support.id],
      [2, pricing.id],
    ]);

    const completion = await client.chat.completions.create({ model: team.bot.publicId, messages: [{ role: "user", content: question }] });
    expect(completion.choices[0]!.message.content).toBe(expected);
    const body = completion as unknown as { docent: { messageId: string }; citations: { index: number }[] };
    expect(await storedText(body.docent.messageId)).toBe(expected);
    expect(body.citations.map((c) => c.index)).toEqual([1, 2]);
  });

  it("gives the widget exactly the stored text", async () => {
    llm.setReply(tricky);
    const res = await app.inject({ method: "POST", ...widget(team.bot.publicId, "chat", "https://plans.example"), payload: { message: question } });
    const events = parseSse(res.body);
    const tokens = events.filter((e) => e.event === "token").map((e) => (e.data as { text: string }).text);
    const done = events.at(-1)!.data as { answer: string; messageId: string };
    expect(tokens.join("")).toBe(expected);
    expect(done.answer).toBe(expected);
    expect(await storedText(done.messageId)).toBe(expected);
  });

  it("adds the caller's system message after the bot's prompt as extra instructions, below the grounding rules", async () => {
    llm.setReply(() => "Il coûte quarante euros par mois [1].");
    await client.chat.completions.create({
      model: team.bot.id,
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "developer", content: "Keep it to one sentence." },
        { role: "user", content: "How much is the Pro plan?" },
      ],
    });
    const upstream = llm.requests.at(-1)!.body.messages;
    expect(upstream.filter((m) => m.role === "system")).toHaveLength(1);
    const system = upstream[0]!.content;
    const at = (text: string) => system.indexOf(text);
    expect(at("You are a helpful assistant")).toBe(0);
    expect(at("Answer in French.\n\nKeep it to one sentence.")).toBeGreaterThan(0);
    expect(at("Rules (these always apply):")).toBeGreaterThan(at("Keep it to one sentence."));
    expect(at("Answer ONLY from the sources")).toBeGreaterThan(at("Answer in French."));
    expect(upstream.map((m) => m.role)).toEqual(["system", "user"]);

    const tooLong = "Be nice. ".repeat(500);
    await expect(
      client.chat.completions.create({ model: team.bot.id, messages: [{ role: "system", content: tooLong }, { role: "user", content: "Hi?" }] }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/system messages are 4499 characters.*limit is 4000/) });
  });

  it("rejects an empty, a whitespace-only and a 100 kB question with a 400 naming the problem", async () => {
    for (const content of ["", "  \n "]) {
      await expect(client.chat.completions.create({ model: team.bot.id, messages: [{ role: "user", content }] })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining("non-empty user message"),
      });
    }
    await expect(
      client.chat.completions.create({ model: team.bot.id, messages: [{ role: "user", content: "why ".repeat(25_000) }], stream: true }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("the limit is 8000") });
    const widgetRes = await app.inject({ method: "POST", ...widget(team.bot.publicId, "chat", "https://plans.example"), payload: { message: "why ".repeat(25_000) } });
    expect(widgetRes.statusCode).toBe(400);
    expect(widgetRes.json().details.issues[0]).toMatchObject({ path: "body.message", message: "message must be at most 2000 characters" });
  });

  it("ends the stream with an error when the model fails mid-answer, and stores nothing", async () => {
    const count = async () => (await db.db.select().from(s.conversations).where(eq(s.conversations.botId, team.bot.id))).length;
    const before = await count();
    llm.setReply(() => "The Pro plan costs forty euros per month [1], billed monthly.");
    llm.breakAfter(2);
    try {
      const stream = await client.chat.completions.create({ model: team.bot.id, messages: [{ role: "user", content: "How much is the Pro plan?" }], stream: true });
      let text = "";
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as Error).message).toContain("failed to answer");
      expect(text).toBe("The Pro");

      const res = await app.inject({ method: "POST", ...widget(team.bot.publicId, "chat", "https://plans.example"), payload: { message: "How much is the Pro plan?" } });
      const events = parseSse(res.body);
      expect(events.map((e) => e.event)).toEqual(["start", "token", "token", "error"]);
      expect(await count()).toBe(before);
    } finally {
      llm.breakAfter(null);
    }
  });
});

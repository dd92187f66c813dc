/**
 * Security regression (issue #12, item 9): the widget's daily token budget was checked
 * before answering and charged after, so 20 concurrent chats at 199,999/200,000 all
 * passed the check and ended at 201,999. Each answer now reserves its most possible cost
 * before generating and settles to its real cost afterwards: overshoot 0.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { addOrigin } from "@docent/db/queries/origins";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { createPlan, subscribe } from "@docent/testing/factories";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { startTestLlmServer } from "../../test-support/llm-server";
import { createOpenAiResponder } from "../llm/openai-responder";
import { ChatError } from "../errors";

const BUDGET = 200_000;
const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const llm = await startTestLlmServer();
const { workspace, bot } = await createWorkspaceWithBot(db.db);
// Questions are not what this test limits: a plan that allows plenty of them.
await subscribe(db.db, workspace.id, await createPlan(db.db, { maxQueriesPerMonth: 100_000 }));
await addDocument(db.db, createLocalEmbedder(), bot, "returns.md", [
  "Returns are free within thirty days of delivery.",
  "Orders ship within two business days from our Lyon warehouse.",
]);
await addOrigin(db.db, { botId: bot.id, origin: "https://shop.example" });

let failGeneration = false;
const app = await buildTestApp(
  db,
  redis,
  { WIDGET_DAILY_TOKEN_BUDGET: String(BUDGET), WIDGET_RATE_LIMIT_PER_IP: "1000", WIDGET_RATE_LIMIT_PER_VISITOR: "1000" },
  {
    // A real OpenAI-protocol model (the test server), so usage comes from the provider.
    responderFor: async () => {
      const responder = createOpenAiResponder({ provider: "openai_compatible", baseUrl: llm.baseUrl, apiKey: "sk-test", model: "test-model", timeoutMs: 10_000 });
      if (!failGeneration) return responder;
      return { ...responder, generate: async () => Promise.reject(new ChatError("LLM_UNAVAILABLE", 502, "down")) };
    },
  },
);
afterAll(async () => {
  await app.close();
  await llm.close();
});
beforeEach(async () => {
  failGeneration = false;
  await redis.flush();
});

const dayKey = `${redis.prefix}:tokens:${bot.id}:${new Date().toISOString().slice(0, 10)}`;
const spent = async () => Number((await redis.client.get(dayKey)) ?? 0);
const ask = (i: number, stream = false) =>
  app.inject({
    method: "POST",
    url: `/v1/widget/${bot.publicId}/chat`,
    headers: { origin: "https://shop.example" },
    payload: { message: "Are returns free?", visitorId: `v_budget-visitor-${String(i).padStart(4, "0")}`, stream },
  });

describe("widget daily token budget", () => {
  it("lets none of 20 concurrent chats through at 199,999/200,000", async () => {
    await redis.client.set(dayKey, String(BUDGET - 1));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(429));
    expect(new Set(answers.map((a) => a.json().error))).toEqual(new Set(["DAILY_BUDGET_EXHAUSTED"]));
    expect(await spent()).toBe(BUDGET - 1);
  });

  it("never overshoots when only some of 20 concurrent chats fit", async () => {
    // Learn what one answer costs, then leave room for about three.
    const probe = await ask(100);
    const cost = probe.json().usage.inputTokens + probe.json().usage.outputTokens;
    expect(await spent()).toBe(cost);
    await redis.client.set(dayKey, String(BUDGET - 3 * cost - 1500));

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i, i % 2 === 0)));
    const answered = answers.filter((a) => a.statusCode === 200).length;
    const refused = answers.filter((a) => a.statusCode === 429 && a.json().error === "DAILY_BUDGET_EXHAUSTED").length;
    expect(answered + refused).toBe(20);
    expect(answered).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(await spent()).toBeLessThanOrEqual(BUDGET);
  });

  it("settles a reservation to the real usage, and releases it when generation fails", async () => {
    const answer = await ask(200);
    expect(answer.statusCode).toBe(200);
    const { inputTokens, outputTokens } = answer.json().usage;
    expect(await spent()).toBe(inputTokens + outputTokens);

    failGeneration = true;
    const failed = await ask(201);
    expect(failed.statusCode).toBe(502);
    expect(await spent()).toBe(inputTokens + outputTokens);
  });
});

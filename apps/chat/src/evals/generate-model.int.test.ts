/**
 * Questions written by a language model: the platform's model (here the OpenAI-wire test
 * server, through the real `openai` client) gets each chosen passage and writes one
 * question, stored as synthetic and expecting that passage's chunk; without a model the
 * request is refused with the reason.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { startTestLlmServer } from "../../test-support/llm-server";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const llm = await startTestLlmServer();
llm.setReply((r) => {
  const passage = r.body.messages.at(-1)!.content;
  return passage.includes("warranty") ? "Question: How long are routers guaranteed?" : '"What must I press to start the router over?"';
});
const withModel = await buildTestApp(db, redis, { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_MODEL: "writer" });
const offline = await buildTestApp(db, redis);
afterAll(async () => {
  await withModel.close();
  await offline.close();
  await llm.close();
});

const { workspace, bot } = await createWorkspaceWithBot(db.db);
const { chunkIds: manualChunks } = await addDocument(db.db, createLocalEmbedder(), bot, "manual.txt", ["Hold the reset button for ten seconds to restart the router from scratch."]);
const { chunkIds: warrantyChunks } = await addDocument(db.db, createLocalEmbedder(), bot, "warranty.txt", ["Every router carries a three-year warranty."]);
const key = await createTestApiKey(db.db, workspace.id, { scopes: ["bots:read", "bots:write"] });
const headers = { authorization: `Bearer ${key}` };

describe("model-written evaluation questions", () => {
  it("asks the model for one question per passage, stored as synthetic, expecting that passage", async () => {
    const set = (await withModel.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets`, headers, payload: { name: "Model" } })).json<{ id: string }>();
    const res = await withModel.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets/${set.id}/generate`, headers, payload: { count: 2, withModel: true } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ generated: 2, synthetic: true, withModel: true });
    const detail = (await withModel.inject({ method: "GET", url: `/v1/bots/${bot.id}/eval-sets/${set.id}`, headers })).json<{
      questions: { question: string; synthetic: boolean; expected: { chunkId: string }[] }[];
    }>();
    const byQuestion = Object.fromEntries(detail.questions.map((q) => [q.question, q]));
    expect(byQuestion["What must I press to start the router over?"]!.expected[0]!.chunkId).toBe(manualChunks[0]);
    expect(byQuestion["How long are routers guaranteed?"]!.expected[0]!.chunkId).toBe(warrantyChunks[0]);
    expect(detail.questions.every((q) => q.synthetic)).toBe(true);
    expect(llm.requests.at(-1)!.body.messages[0]!.content).toMatch(/write ONE question/);

    const tooMany = await withModel.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets/${set.id}/generate`, headers, payload: { count: 101, withModel: true } });
    expect(tooMany.statusCode).toBe(400);
  });

  it("refuses model-written questions without a model", async () => {
    const set = (await offline.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets`, headers, payload: { name: "Offline" } })).json<{ id: string }>();
    const res = await offline.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets/${set.id}/generate`, headers, payload: { count: 2, withModel: true } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: "LLM_NOT_CONFIGURED", message: expect.stringMatching(/No language model/) });
  });
});

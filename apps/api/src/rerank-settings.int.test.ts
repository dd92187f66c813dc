/**
 * The workspace's reranker (BYOK settings) and the bots' rerank and neighbouring-context
 * settings: keys sealed and shown as hints, URLs checked like model base URLs, TEI and
 * vLLM needing their endpoint, rag config merged and bounded, and bots saved before these
 * settings existed reading them with their defaults.
 */
import * as s from "@docent/db/schema";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const api = await createTestApi();

describe("workspace reranker settings", async () => {
  const owner = await signUp(api.app, "rerank");
  const settings = `/v1/workspaces/${owner.workspaceId}/settings`;

  it("stores a Cohere-shape reranker with a sealed key, shown only as a hint", async () => {
    const res = await owner.request("PATCH", settings, {
      rerank: { provider: "cohere", model: "rerank-v3.5", apiKey: "co-secret-rerank-key-9876" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rerank).toEqual({ provider: "cohere", url: null, model: "rerank-v3.5", hasApiKey: true, apiKeyHint: expect.stringMatching(/9876$/) });
    expect(res.body).not.toContain("co-secret-rerank-key");
    const [row] = await api.db.select().from(s.tenantSettings).where(eq(s.tenantSettings.workspaceId, owner.workspaceId));
    expect(row!.rerankApiKeyCiphertext).toMatch(/^v1\./);
  });

  it("needs an endpoint URL for TEI and vLLM, and refuses private ones", async () => {
    const missing = await owner.request("PATCH", settings, { rerank: { provider: "tei", url: null } });
    expect(missing.statusCode).toBe(400);
    expect(errorBody(missing).details?.issues?.[0]?.path).toBe("body.rerank.url");

    const loopback = await owner.request("PATCH", settings, { rerank: { provider: "tei", url: "http://127.0.0.1:8080/rerank" } });
    expect(loopback.statusCode).toBe(400);
    expect(errorBody(loopback).message).toMatch(/rerank\.url is not allowed.*127\.0\.0\.1/);

    const ok = await owner.request("PATCH", settings, { rerank: { provider: "vllm", url: "https://8.8.8.8/v1/rerank", apiKey: null } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().rerank).toMatchObject({ provider: "vllm", url: "https://8.8.8.8/v1/rerank", hasApiKey: false });
  });
});

describe("bots' rerank and context settings", async () => {
  const owner = await signUp(api.app, "rerank-bot");
  const bots = `/v1/workspaces/${owner.workspaceId}/bots`;
  await api.db.update(s.plans).set({ allowAdvancedRagConfig: true });

  it("merges partial settings over the current ones and bounds them", async () => {
    const bot = (await owner.request("POST", bots, { name: "Rerank bot" })).json();
    expect(bot.ragConfig.rerank).toEqual({ enabled: false, topN: 20 });
    expect(bot.ragConfig.context).toEqual({ neighbours: 0, sameSection: false, maxTokens: 1500 });

    const on = await owner.request("PATCH", `${bots}/${bot.id}`, { ragConfig: { rerank: { enabled: true }, context: { neighbours: 1 } } });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().ragConfig.rerank).toEqual({ enabled: true, topN: 20 });
    expect(on.json().ragConfig.context).toEqual({ neighbours: 1, sameSection: false, maxTokens: 1500 });

    for (const ragConfig of [{ rerank: { topN: 1 } }, { context: { neighbours: 9 } }, { rerank: { enabld: true } }]) {
      const bad = await owner.request("PATCH", `${bots}/${bot.id}`, { ragConfig });
      expect(bad.statusCode, JSON.stringify(ragConfig)).toBe(400);
      expect(errorBody(bad).message).toMatch(/ragConfig\.(rerank|context)/);
    }
  });

  it("reads a bot saved before these settings with their defaults, and lets it be edited", async () => {
    const other = await signUp(api.app, "rerank-old-bot");
    const otherBots = `/v1/workspaces/${other.workspaceId}/bots`;
    const created = await other.request("POST", otherBots, { name: "Old bot" });
    expect(created.statusCode, created.body).toBe(201);
    const bot = created.json();
    await api.db.execute(sql`update bots set rag_config = rag_config - 'rerank' - 'context' where id = ${bot.id}`);
    const read = await other.request("GET", `${otherBots}/${bot.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().ragConfig.rerank).toEqual({ enabled: false, topN: 20 });
    const edited = await other.request("PATCH", `${otherBots}/${bot.id}`, { ragConfig: { topK: 7 } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().ragConfig).toMatchObject({ topK: 7, rerank: { enabled: false }, context: { neighbours: 0 } });
  });
});

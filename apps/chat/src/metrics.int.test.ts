/**
 * The chat service's Prometheus metrics after real requests (real Postgres, Redis, the
 * real openai client against a local server speaking its protocol), scraped from the
 * metrics listener: HTTP by route and status, retrieval by mode, LLM latency, first token
 * and tokens, answers by outcome, embedding calls; and nothing that names a tenant.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createLocalEmbedder } from "@docent/embeddings";
import { createMetricsRegistry, startMetricsServer } from "@docent/service-kit/metrics";
import { useTestDatabase } from "@docent/testing/db";
import { metricLabelSets, metricValue } from "@docent/testing/metrics";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";
import { startTestLlmServer } from "../test-support/llm-server";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const llm = await startTestLlmServer({ apiKey: "sk-platform" });
const registry = createMetricsRegistry({ service: "chat" });
const app = await buildTestApp(db, redis, { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "sk-platform" }, { metrics: registry });
const listener = await startMetricsServer({ host: "127.0.0.1", port: 0, registry });
afterAll(async () => {
  await app.close();
  await listener.close();
  await llm.close();
});

const tenant = await createWorkspaceWithBot(db.db, { name: "Metrics tenant" });
await addDocument(db.db, createLocalEmbedder(), tenant.bot, "returns.txt", ["Returns are accepted within thirty days of delivery."]);
const key = await createTestApiKey(db.db, tenant.workspace.id);
const post = (path: string, payload: Record<string, unknown>) =>
  app.inject({ method: "POST", url: `/v1/bots/${tenant.bot.id}/${path}`, headers: { authorization: `Bearer ${key}` }, payload });

describe("the chat service's metrics", () => {
  it("record retrieval by mode, the LLM's latency and tokens, answers and embeddings", async () => {
    expect((await post("chat", { message: "How many days do I have to return an item?" })).statusCode).toBe(200);
    expect((await post("chat", { message: "What colour is the zeppelin hangar?" })).json().refused).toBe(true);
    llm.failWith(500);
    expect((await post("chat", { message: "How many days do I have to return an item?" })).statusCode).toBe(502);
    llm.failWith(null);
    for (const mode of ["keyword", "vector"]) expect((await post("retrieve", { query: "returns thirty days", mode })).statusCode).toBe(200);

    const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (name: string, labels: Record<string, string>) => metricValue(text, name, { service: "chat", ...labels });

    expect(value("docent_http_request_duration_seconds_count", { route: "/v1/bots/:botId/chat", method: "POST", status_code: "200" })).toBe(2);
    expect(value("docent_http_request_duration_seconds_count", { route: "/v1/bots/:botId/chat", method: "POST", status_code: "502" })).toBe(1);
    expect(value("docent_http_request_duration_seconds_count", { route: "/v1/bots/:botId/retrieve", method: "POST", status_code: "200" })).toBe(2);

    // Three questions in the bot's mode (hybrid), two searches in the modes asked for.
    expect(value("docent_retrieval_duration_seconds_count", { mode: "hybrid", outcome: "ok" })).toBe(3);
    expect(value("docent_retrieval_duration_seconds_count", { mode: "keyword", outcome: "ok" })).toBe(1);
    expect(value("docent_retrieval_duration_seconds_count", { mode: "vector", outcome: "ok" })).toBe(1);
    expect(value("docent_retrieval_stage_duration_seconds_count", { stage: "keyword" })).toBe(4);
    expect(value("docent_retrieval_stage_duration_seconds_count", { stage: "embed" })).toBeGreaterThanOrEqual(1);

    // One answer generated, one failed at the provider; the refusal never reached the LLM.
    expect(value("docent_llm_request_duration_seconds_count", { provider: "openai_compatible", outcome: "ok" })).toBe(1);
    expect(value("docent_llm_request_duration_seconds_count", { provider: "openai_compatible", outcome: "error" })).toBe(1);
    expect(value("docent_llm_time_to_first_token_seconds_count", { provider: "openai_compatible" })).toBe(1);
    expect(value("docent_llm_tokens_total", { provider: "openai_compatible", direction: "output" })).toBeGreaterThan(0);
    expect(value("docent_llm_tokens_total", { provider: "openai_compatible", direction: "input" })).toBeGreaterThan(0);

    expect(value("docent_answers_total", { channel: "api", outcome: "answered" })).toBe(1);
    expect(value("docent_answers_total", { channel: "api", outcome: "refused" })).toBe(1);
    expect(value("docent_answers_total", { channel: "api", outcome: "failed" })).toBe(1);
    expect(value("docent_embedding_requests_total", { provider: "local", outcome: "ok" })).toBeGreaterThanOrEqual(4);

    // Labels are patterns and enums, never a tenant's ids, names, keys or words.
    for (const secret of [tenant.bot.id, tenant.workspace.id, tenant.bot.publicId, "Metrics tenant", key, "zeppelin", "sk-platform"]) {
      expect(text).not.toContain(secret);
    }
    const labels = new Set(
      ["docent_retrieval_duration_seconds_count", "docent_llm_tokens_total", "docent_answers_total", "docent_http_request_duration_seconds_count"]
        .flatMap((name) => metricLabelSets(text, name))
        .flatMap((set) => Object.keys(set)),
    );
    expect([...labels].sort()).toEqual(["channel", "direction", "method", "mode", "outcome", "provider", "route", "service", "status_code"]);
  });
});

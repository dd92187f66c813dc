/**
 * The shared metrics over real HTTP: request durations labelled by route pattern (never
 * the raw URL, so ids in paths neither leak nor multiply series), the `/metrics` listener
 * with and without METRICS_TOKEN, and embedding calls counted by provider and outcome.
 */
import { metricValue } from "@docent/testing/metrics";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createServiceLogger } from "./logger";
import { createServiceApp } from "./fastify";
import {
  createEmbeddingMetrics,
  createMetricsRegistry,
  listenForScrapes,
  metricsEnvFields,
  type MetricsServer,
  startMetricsServer,
} from "@docent/service-kit/metrics";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listening(token?: string) {
  const registry = createMetricsRegistry({ service: "test" });
  const app = createServiceApp({ logger: createServiceLogger({ service: "test", level: "silent" }), metrics: registry });
  app.get("/v1/things/:thingId", { schema: { params: z.object({ thingId: z.uuid() }) } }, async () => ({ ok: true }));
  app.post("/v1/things", async (_request, reply) => reply.code(201).send({ ok: true }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  servers.push({ close: () => app.close() });
  const metrics: MetricsServer = await startMetricsServer({ host: "127.0.0.1", port: 0, registry, token });
  servers.push(metrics);
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const scrape = (headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${metrics.port}/metrics`, { headers });
  return { base, scrape, metricsPort: metrics.port, registry };
}

const sample = metricValue;

describe("HTTP metrics", () => {
  it("times requests by route pattern, method and status, never by raw URL", async () => {
    const { base, scrape } = await listening();
    const ids = ["5b7c8f5e-3f43-4a55-9d0e-0e3f4b7f8a11", "0d2e9a61-8f7b-4c1e-a0a5-2c8c3b8f9e22"];
    for (const id of ids) expect((await fetch(`${base}/v1/things/${id}`)).status).toBe(200);
    expect((await fetch(`${base}/v1/things/not-a-uuid`)).status).toBe(400);
    expect((await fetch(`${base}/v1/things`, { method: "POST" })).status).toBe(201);
    expect((await fetch(`${base}/wp-admin/secret-${ids[0]}`)).status).toBe(404);

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const count = (labels: Record<string, string>) => sample(text, "docent_http_request_duration_seconds_count", { service: "test", ...labels });
    expect(count({ method: "GET", route: "/v1/things/:thingId", status_code: "200" })).toBe(2);
    expect(count({ method: "GET", route: "/v1/things/:thingId", status_code: "400" })).toBe(1);
    expect(count({ method: "POST", route: "/v1/things", status_code: "201" })).toBe(1);
    expect(count({ method: "GET", route: "unmatched", status_code: "404" })).toBe(1);
    expect(sample(text, "docent_http_request_duration_seconds_bucket", { route: "/v1/things/:thingId", status_code: "200", le: "+Inf" })).toBe(2);
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain("wp-admin");
  });

  it("serves only /metrics on its listener", async () => {
    const { metricsPort } = await listening();
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: "POST" })).status).toBe(405);
  });
});

describe("METRICS_TOKEN", () => {
  it("is required as a bearer token when set", async () => {
    const token = "s3cret-metrics-token-0123456789";
    const { scrape } = await listening(token);
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await missing.text()).not.toContain("docent_");
    expect((await scrape({ authorization: "Bearer wrong-token-wrong-token" })).status).toBe(401);
    expect((await scrape({ authorization: token })).status).toBe(401);
    const allowed = await scrape({ authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("docent_http_request_duration_seconds");
  });

  it("must be long enough, and the port may be off or any free one", () => {
    const schema = z.object(metricsEnvFields(9464));
    expect(schema.safeParse({ METRICS_TOKEN: "short" }).success).toBe(false);
    expect(schema.parse({})).toEqual({ METRICS_HOST: "127.0.0.1", METRICS_PORT: 9464 });
    expect(schema.parse({ METRICS_PORT: "off" }).METRICS_PORT).toBe("off");
    expect(schema.parse({ METRICS_PORT: "0" }).METRICS_PORT).toBe(0);
    expect(schema.safeParse({ METRICS_PORT: "70000" }).success).toBe(false);
  });

  it("a taken port stops start-up with a message saying what to set", async () => {
    const { metricsPort, registry } = await listening();
    const env = { METRICS_HOST: "127.0.0.1", METRICS_PORT: metricsPort };
    await expect(listenForScrapes(env, registry, { info: () => {} })).rejects.toThrow(/METRICS_PORT to a free port or "off"/);
    expect(await listenForScrapes({ ...env, METRICS_PORT: "off" }, registry, { info: () => {} })).toBeUndefined();
  });
});

describe("embedding metrics", () => {
  it("count calls by provider and outcome, and the texts embedded", async () => {
    const registry = createMetricsRegistry({ service: "test" });
    const metrics = createEmbeddingMetrics(registry);
    let fail = false;
    const embedder = metrics.instrument({
      id: "openai:a-model-a-tenant-typed",
      dimensions: 3,
      async embed(texts: string[]) {
        if (fail) throw new Error("provider down");
        return texts.map(() => [0, 0, 1]);
      },
    });
    expect(await embedder.embed(["a", "b", "c"])).toHaveLength(3);
    fail = true;
    await expect(embedder.embed(["d"])).rejects.toThrow("provider down");
    expect(embedder.dimensions).toBe(3);
    expect(metrics.instrument(embedder)).toBe(embedder);
    const text = await registry.metrics();
    expect(sample(text, "docent_embedding_requests_total", { provider: "openai", outcome: "ok" })).toBe(1);
    expect(sample(text, "docent_embedding_requests_total", { provider: "openai", outcome: "error" })).toBe(1);
    expect(sample(text, "docent_embedding_texts_total", { provider: "openai" })).toBe(3);
    expect(sample(text, "docent_embedding_request_duration_seconds_count", { provider: "openai" })).toBe(2);
    expect(text).not.toContain("a-model-a-tenant-typed");
  });
});

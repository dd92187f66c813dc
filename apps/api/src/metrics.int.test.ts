/**
 * The API's Prometheus metrics after real requests on real Postgres and Redis: request
 * durations by route pattern and status, scraped from the metrics listener with its token,
 * with no tenant's ids or addresses in any series. And an upload's request id reaches its
 * ingest job, for the worker's log lines.
 */
import { createMetricsRegistry, startMetricsServer } from "@docent/service-kit/metrics";
import { metricValue } from "@docent/testing/metrics";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApi, signUp } from "./testing/harness";

const registry = createMetricsRegistry({ service: "api" });
const { app, queue } = await createTestApi({}, { metrics: registry });
const token = "api-metrics-token-for-the-test";
const listener = await startMetricsServer({ host: "127.0.0.1", port: 0, registry, token });
afterAll(() => listener.close());

const scrape = async () => {
  const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.text();
};
const count = (text: string, route: string, method: string, status: number) =>
  metricValue(text, "docent_http_request_duration_seconds_count", { service: "api", method, route, status_code: String(status) });

describe("the API's metrics", () => {
  it("count real requests by route pattern and status, and name no tenant", async () => {
    const owner = await signUp(app, "metrics-owner");
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const bot = (await owner.request("POST", `${ws}/bots`, { name: "Metered" })).json();
    expect((await owner.request("POST", `${ws}/bots`, { name: "Over the Free plan" })).statusCode).toBe(402);
    const upload = await owner.request(
      "POST",
      `/v1/bots/${bot.id}/documents/text`,
      { name: "Notes", text: "Parcels ship within two working days." },
      { "x-request-id": "trace-upload-000001" },
    );
    expect(upload.statusCode).toBe(201);
    expect(upload.headers["x-request-id"]).toBe("trace-upload-000001");
    expect((await owner.request("GET", `${ws}/usage`)).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: `/v1/nothing-here/${owner.workspaceId}` })).statusCode).toBe(404);

    const text = await scrape();
    expect(count(text, "/v1/auth/signup", "POST", 202)).toBe(1);
    expect(count(text, "/v1/auth/verify-email", "POST", 200)).toBe(1);
    expect(count(text, "/v1/workspaces/:workspaceId/bots", "POST", 201)).toBe(1);
    expect(count(text, "/v1/workspaces/:workspaceId/bots", "POST", 402)).toBe(1);
    expect(count(text, "/v1/bots/:botId/documents/text", "POST", 201)).toBe(1);
    expect(count(text, "/v1/workspaces/:workspaceId/usage", "GET", 200)).toBe(1);
    expect(count(text, "unmatched", "GET", 404)).toBe(1);
    for (const secret of [owner.workspaceId, bot.id, owner.userId, owner.email, "trace-upload-000001", "nothing-here"]) {
      expect(text).not.toContain(secret);
    }

    // The upload's request id travels with its ingest job (the worker logs it on every line).
    const [job] = await queue.getJobs(["waiting", "active", "delayed", "completed", "failed"]);
    expect(job?.data).toMatchObject({ documentId: upload.json().id, requestId: "trace-upload-000001" });
  });

  it("refuses a scrape without the token", async () => {
    const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(response.status).toBe(401);
  });
});

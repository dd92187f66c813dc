import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { QuotaExceededError } from "@docent/db/queries/usage";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConflictError, RateLimitedError } from "@docent/service-kit/errors";
import { createServiceApp } from "./fastify";
import { createServiceLogger } from "./logger";

async function appWith(handler: () => unknown) {
  const app = createServiceApp({ logger: createServiceLogger({ service: "test", level: "silent" }), bodyLimit: 1024 });
  app.post(
    "/things",
    { schema: { body: z.strictObject({ name: z.string().min(2), count: z.number().int().optional() }) } },
    async () => handler(),
  );
  await app.ready();
  return app;
}

const post = (app: Awaited<ReturnType<typeof appWith>>, payload: unknown) =>
  app.inject({ method: "POST", url: "/things", payload: payload as object });

describe("error handler", () => {
  it("answers AppErrors with their status, code and message", async () => {
    const app = await appWith(() => {
      throw new ConflictError("Name taken", { code: "NAME_TAKEN", details: { name: "x" } });
    });
    const response = await post(app, { name: "ok" });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      requestId: response.headers["x-request-id"],
      statusCode: 409,
      error: "NAME_TAKEN",
      message: "Name taken",
      details: { name: "x" },
    });
  });

  it("names every failing and unknown field", async () => {
    const app = await appWith(() => ({}));
    const response = await post(app, { name: "x", count: 1.5, workspaceId: "w", role: "ADMIN" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("VALIDATION_FAILED");
    expect(response.json().details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "body.count",
      "body.name",
      "body.role",
      "body.workspaceId",
    ]);
  });

  it("hides internal and database messages behind a generic 500", async () => {
    const app = await appWith(() => {
      throw Object.assign(new Error('relation "users" violates constraint at 10.0.0.5'), { code: "23505" });
    });
    const response = await post(app, { name: "ok" });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ error: "INTERNAL", message: "Internal server error" });
    expect(response.body).not.toContain("users");
  });

  it("maps quota errors from the db package to 402 with the limit", async () => {
    const app = await appWith(() => {
      throw new QuotaExceededError("bots", 1, 1, "Free");
    });
    const response = await post(app, { name: "ok" });
    expect(response.statusCode).toBe(402);
    expect(response.json()).toMatchObject({ error: "QUOTA_EXCEEDED", details: { limit: "bots", max: 1 } });
    expect(response.json().message).toBe("Limit reached: 1 bot on the Free plan.");
  });

  it("answers malformed JSON, oversized bodies and rate limits in the same format", async () => {
    const app = await appWith(() => {
      throw new RateLimitedError(30);
    });
    const malformed = await app.inject({ method: "POST", url: "/things", payload: "{", headers: { "content-type": "application/json" } });
    expect(malformed.json()).toMatchObject({ statusCode: 400, error: "MALFORMED_JSON" });
    const big = await post(app, { name: "x".repeat(2000) });
    expect(big.json()).toMatchObject({ statusCode: 413, error: "PAYLOAD_TOO_LARGE" });
    const limited = await post(app, { name: "ok" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBe("30");
  });

  it("answers unknown routes with ROUTE_NOT_FOUND", async () => {
    const app = await appWith(() => ({}));
    const response = await app.inject({ method: "DELETE", url: "/nowhere" });
    expect(response.json()).toMatchObject({ statusCode: 404, error: "ROUTE_NOT_FOUND" });
  });

  it("answers a database or Redis outage with 503, Retry-After and the error format, never its internals", async () => {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const { port } = listener.address() as AddressInfo;
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    const client = postgres(`postgres://docent:secret@127.0.0.1:${port}/docent`, { max: 1 });
    const db = drizzle({ client });
    const redis = new Redis({ port, host: "127.0.0.1", enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    redis.on("error", () => {});
    for (const failing of [() => db.execute(sql`select 1`), () => redis.get("key")]) {
      const app = await appWith(failing);
      const response = await post(app, { name: "ok" });
      expect(response.statusCode).toBe(503);
      expect(response.headers["retry-after"]).toBe("5");
      expect(response.json()).toEqual({
        requestId: response.headers["x-request-id"],
        statusCode: 503,
        error: "SERVICE_UNAVAILABLE",
        message: expect.stringMatching(/temporarily unavailable/),
        details: { retryAfterSeconds: 5 },
      });
      expect(response.body).not.toContain(String(port));
    }
    await client.end();
    redis.disconnect();
  });
});

/**
 * Security regression (issue #12, item 10), chat service: no security headers were sent.
 * Every answer now carries helmet's headers with a CSP that allows nothing, while the
 * widget routes that customers' pages call keep their CORS answers and may be shared
 * cross-origin (Cross-Origin-Resource-Policy: cross-origin).
 */
import { ensureCatalog } from "@docent/db/catalog";
import { addOrigin } from "@docent/db/queries/origins";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../test-support/app";
import { createWorkspaceWithBot } from "../test-support/fixtures";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const app = await buildTestApp(db, redis);
afterAll(() => app.close());
const { bot } = await createWorkspaceWithBot(db.db);
await addOrigin(db.db, { botId: bot.id, origin: "https://shop.example" });

const expectHeaders = (headers: Record<string, unknown>, what: string) => {
  expect(String(headers["content-security-policy"]), what).toContain("default-src 'none'");
  expect(String(headers["content-security-policy"]), what).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("no-referrer");
};

describe("chat security headers", () => {
  it("are on every answer: health, auth errors, unknown routes", async () => {
    for (const url of ["/healthz", "/v1/models", "/nope"]) {
      expectHeaders((await app.inject({ method: "GET", url })).headers, url);
    }
  });

  it("leave the widget's cross-origin calls working", async () => {
    const origin = "https://shop.example";
    const preflight = await app.inject({
      method: "OPTIONS",
      url: `/v1/widget/${bot.publicId}/chat`,
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(origin);
    expect(preflight.headers["cross-origin-resource-policy"]).toBe("cross-origin");

    const config = await app.inject({ method: "GET", url: `/v1/widget/${bot.publicId}/config`, headers: { origin } });
    expect(config.statusCode).toBe(200);
    expect(config.headers["access-control-allow-origin"]).toBe(origin);
    expect(config.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expectHeaders(config.headers, "widget config");

    const streamed = await app.inject({
      method: "POST",
      url: `/v1/widget/${bot.publicId}/chat`,
      headers: { origin },
      payload: { message: "hello" },
    });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.headers["content-type"]).toContain("text/event-stream");
    expect(streamed.headers["access-control-allow-origin"]).toBe(origin);
    expect(streamed.headers["x-content-type-options"]).toBe("nosniff");
  });
});

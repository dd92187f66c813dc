/** Routes that forget their auth declaration or documentation fail at start-up. */
import type { Database } from "@docent/db/client";
import { describe, expect, it } from "vitest";
import { createSessionManager, registerAuth } from "./auth";
import { csrfTokenFor, csrfTokenMatches } from "./auth/csrf";
import { createServiceApp } from "./fastify";
import { createServiceLogger } from "./logger";
import { registerOpenApi } from "./openapi";

const db = {} as Database;

async function baseApp() {
  const app = createServiceApp({ logger: createServiceLogger({ service: "test", level: "silent" }) });
  registerAuth(app, { db, sessions: createSessionManager({ db, secureCookies: false }), publicPrefixes: ["/docs"] });
  await registerOpenApi(app, { title: "t", version: "1" });
  return app;
}

describe("route registration rules", () => {
  it("rejects a route without config.auth", async () => {
    const app = await baseApp();
    expect(() => app.get("/v1/secret", { schema: { operationId: "x", summary: "x" } }, async () => ({}))).toThrow(/no config.auth/);
  });

  it("rejects a route without operationId or summary", async () => {
    const app = await baseApp();
    expect(() => app.get("/v1/undocumented", { config: { auth: { kind: "public" } } }, async () => ({}))).toThrow(/operationId/);
  });

  it("accepts a declared, documented public route", async () => {
    const app = await baseApp();
    app.get("/v1/ok", { config: { auth: { kind: "public" } }, schema: { operationId: "ok", summary: "ok" } }, async () => ({}));
    await app.ready();
    expect((await app.inject({ method: "GET", url: "/v1/ok" })).statusCode).toBe(200);
  });
});

describe("csrf tokens", () => {
  it("are bound to the session token", () => {
    const token = csrfTokenFor("session-a");
    expect(csrfTokenMatches(token, csrfTokenFor("session-a"))).toBe(true);
    expect(csrfTokenMatches(token, csrfTokenFor("session-b"))).toBe(false);
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(token, [token])).toBe(false);
  });
});

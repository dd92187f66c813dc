/**
 * Hostile and sloppy input: malformed JSON, wrong types, oversized bodies, unknown fields
 * and mass-assignment attempts answer 4xx in the shared error format, never 500, and the
 * service keeps serving afterwards.
 */
import { bots, workspaceMembers } from "@docent/db/schema";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app, db } = await createTestApi({ API_BODY_LIMIT_BYTES: "16384" });
const owner = await signUp(app, "bad-input");
const ws = `/v1/workspaces/${owner.workspaceId}`;
const bot = (await owner.request("POST", `${ws}/bots`, { name: "Bot" })).json();

const raw = (method: "POST" | "PATCH", url: string, payload: string, contentType = "application/json") =>
  app.inject({
    method,
    url,
    payload,
    headers: { cookie: owner.cookie, "x-csrf-token": owner.csrfToken, "content-type": contentType },
  });

describe("bad input", () => {
  it("answers malformed JSON with 400 MALFORMED_JSON", async () => {
    for (const payload of ['{"name": "x"', "{name: 'x'}", "not json", '{"a":1}}']) {
      const response = await raw("POST", `${ws}/bots`, payload);
      expect(response.statusCode, payload).toBe(400);
      const body = errorBody(response);
      expect(body.error).toBe("MALFORMED_JSON");
      expect(body.message).not.toMatch(/Unexpected token|position/);
    }
  });

  it("names each field with a wrong type", async () => {
    const response = await owner.request("POST", `${ws}/bots`, { name: 42, ragConfig: { topK: "five" } });
    expect(response.statusCode).toBe(400);
    const body = errorBody(response);
    expect(body.error).toBe("VALIDATION_FAILED");
    expect(body.details?.issues?.map((i) => i.path).sort()).toEqual(["body.name", "body.ragConfig.topK"]);
    const badParam = await owner.request("GET", `${ws}/bots/not-a-uuid`);
    expect(errorBody(badParam).details?.issues?.[0]?.path).toBe("params.botId");
  });

  it("rejects bodies over the limit with 413", async () => {
    const response = await owner.request("POST", `${ws}/bots/${bot.id}/prompts`, {
      name: "big",
      content: "x".repeat(20_000),
    });
    expect(response.statusCode).toBe(413);
    expect(errorBody(response).error).toBe("PAYLOAD_TOO_LARGE");
  });

  it("rejects non-JSON content types with 415", async () => {
    const response = await raw("POST", `${ws}/bots`, "name=x", "application/x-www-form-urlencoded");
    expect(response.statusCode).toBe(415);
    expect(errorBody(response).error).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("rejects unknown and mass-assignment fields by name", async () => {
    const attempts: [string, "POST" | "PATCH", Record<string, unknown>, string][] = [
      [`${ws}/bots/${bot.id}`, "PATCH", { workspaceId: crypto.randomUUID() }, "body.workspaceId"],
      [`${ws}/bots/${bot.id}`, "PATCH", { publicId: "mine" }, "body.publicId"],
      [`${ws}/bots/${bot.id}`, "PATCH", { status: "PROCESSING_DOCUMENTS" }, "body.status"],
      [`${ws}/bots/${bot.id}`, "PATCH", { ragConfig: { chunkSize: 500, embeddingModel: "x" } }, "body.ragConfig.embeddingModel"],
      [`${ws}/bots`, "POST", { name: "x", createdBy: owner.userId }, "body.createdBy"],
      [`${ws}`, "PATCH", { name: "x", isPersonal: false }, "body.isPersonal"],
      [`${ws}/members/${owner.userId}`, "PATCH", { role: "MEMBER", userId: crypto.randomUUID() }, "body.userId"],
      [`${ws}/api-keys`, "POST", { name: "k", scopes: ["chat"], workspaceId: crypto.randomUUID() }, "body.workspaceId"],
      [`${ws}/api-keys`, "POST", { name: "k", scopes: ["admin"] }, "body.scopes.0"],
      ["/v1/auth/signup", "POST", { email: "m@example.com", password: "long enough pw", role: "ADMIN" }, "body.role"],
      ["/v1/auth/signup", "POST", { email: "n@example.com", password: "long enough pw", status: "ACTIVE" }, "body.status"],
    ];
    for (const [url, method, body, field] of attempts) {
      const response = await owner.request(method, url, body);
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(errorBody(response).details?.issues?.map((i) => i.path)).toContain(field);
    }
    const [row] = await db.select().from(bots).where(eq(bots.id, bot.id));
    expect(row!.workspaceId).toBe(owner.workspaceId);
    expect(row!.status).toBe("READY");
    const [membership] = await db
      .select()
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, owner.workspaceId), eq(workspaceMembers.userId, owner.userId)));
    expect(membership!.role).toBe("OWNER");
  });

  it("answers unknown routes in the error format and echoes the request id", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/nope", headers: { "x-request-id": "trace-12345678" } });
    expect(response.statusCode).toBe(404);
    expect(errorBody(response)).toMatchObject({ error: "ROUTE_NOT_FOUND", requestId: "trace-12345678" });
    expect(response.headers["x-request-id"]).toBe("trace-12345678");
  });

  it("keeps serving after all of that", async () => {
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.json()).toEqual({ status: "ok" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok", storage: "ok" } });
    expect((await owner.request("GET", `${ws}/bots/${bot.id}`)).statusCode).toBe(200);
  });
});

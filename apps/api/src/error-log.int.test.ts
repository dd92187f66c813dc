/**
 * The persisted error log: a request that fails with a 500 leaves one entry (service,
 * code, a message without SQL or stack, its request id, route and workspace); 4xx answers
 * leave none; only platform admins can read the log, filtered and paged.
 */
import { errorLogs, users } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app, db, sql } = await createTestApi();
const owner = await signUp(app, "errors-owner");
const operator = await signUp(app, "errors-operator");
await db.update(users).set({ role: "ADMIN" }).where(eq(users.id, operator.userId));

async function waitForEntries(requestId: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.select().from(errorLogs).where(eq(errorLogs.requestId, requestId));
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("error log", () => {
  it("records a forced 500 once, with its request id, and not a 404", async () => {
    const url = `/v1/workspaces/${owner.workspaceId}/webhooks`;
    // A table the route reads goes missing: the database answers an error the handler cannot know.
    await sql`alter table webhook_endpoints rename to webhook_endpoints_hidden`;
    let response;
    try {
      response = await owner.request("GET", url);
    } finally {
      await sql`alter table webhook_endpoints_hidden rename to webhook_endpoints`;
    }
    expect(response.statusCode).toBe(500);
    const { requestId, message } = errorBody(response);
    expect(message).toBe("Internal server error");

    const rows = await waitForEntries(requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      service: "api",
      errorType: "INTERNAL",
      statusCode: 500,
      requestId,
      operation: "GET /v1/workspaces/:workspaceId/webhooks",
      workspaceId: owner.workspaceId,
      botId: null,
    });
    // The driver's own message, not drizzle's wrapper with the SQL text; no stack.
    expect(rows[0]!.message).toMatch(/webhook_endpoints.*does not exist/);
    expect(rows[0]!.message).not.toMatch(/select|\n {4}at /i);

    const notFound = await owner.request("GET", `${url}/00000000-0000-4000-8000-000000000000`);
    expect(notFound.statusCode).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db.select().from(errorLogs).where(eq(errorLogs.requestId, errorBody(notFound).requestId))).toHaveLength(0);
  });

  it("is listed for platform admins, filtered and paged, and refused to everyone else", async () => {
    await db.insert(errorLogs).values([
      { service: "worker", errorType: "unsupported_format", message: "old", createdAt: new Date("2026-01-01T00:00:00Z") },
      { service: "chat", errorType: "INTERNAL", message: "chat failure", requestId: "req-chat-1" },
    ]);
    const all = (await operator.request("GET", "/v1/admin/error-logs")).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
    const chat = (await operator.request("GET", "/v1/admin/error-logs?service=chat")).json();
    expect(chat.items.map((e: { requestId: string }) => e.requestId)).toEqual(["req-chat-1"]);
    const january = (await operator.request("GET", "/v1/admin/error-logs?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")).json();
    expect(january.items.map((e: { message: string }) => e.message)).toEqual(["old"]);
    const paged = (await operator.request("GET", "/v1/admin/error-logs?limit=1&offset=1")).json();
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBe(all.total);

    const bad = await operator.request("GET", "/v1/admin/error-logs?service=billing");
    expect(bad.statusCode).toBe(400);
    const reversed = await operator.request("GET", "/v1/admin/error-logs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    expect(reversed.statusCode).toBe(400);

    const refused = await owner.request("GET", "/v1/admin/error-logs");
    expect(refused.statusCode).toBe(403);
  });
});

/**
 * A bot as an MCP server over Streamable HTTP on a real listening chat service, driven by
 * the official `@modelcontextprotocol/sdk` client: tool list and descriptions, both tools,
 * keys of other workspaces, revoked keys and keys without the chat scope refused, and
 * malformed requests answered with readable JSON-RPC errors (never a 500).
 */
import { ensureCatalog } from "@docent/db/catalog";
import type { AddressInfo } from "node:net";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings/local";
import { sha256Hex } from "@docent/service-kit/crypto/tokens";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createBot, createPlan, subscribe } from "@docent/testing/factories";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const embedder = createLocalEmbedder();
const app = await buildTestApp(db, redis);
await app.listen({ host: "127.0.0.1", port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await app.close();
});
beforeEach(() => redis.flush());

const acme = await createWorkspaceWithBot(db.db, { name: "Acme router help" });
await db.db.update(s.bots).set({ description: "Manuals and warranty terms of Acme's X200 routers." }).where(eq(s.bots.id, acme.bot.id));
const { document: manual } = await addDocument(db.db, embedder, acme.bot, "router-manual.pdf", [
  { text: "To reset the X200 router, hold the recessed reset button for ten seconds until the light blinks amber.", page: 12, headingPath: ["Troubleshooting", "Reset"] },
  { text: "The X200 router supports WPA3 encryption and up to 64 connected devices.", page: 3 },
]);
await addDocument(db.db, embedder, acme.bot, "warranty.txt", ["Every Acme router carries a three-year warranty covering hardware defects."]);
const acmeKey = await createTestApiKey(db.db, acme.workspace.id);
const otherAcmeBot = await createBot(db.db, { workspaceId: acme.workspace.id, name: "Second bot" });
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
const globexKey = await createTestApiKey(db.db, globex.workspace.id);

async function connect(bot: string, key: string) {
  const client = new Client({ name: "docent-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/v1/mcp/${bot}`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type JsonRpcError = { jsonrpc: string; id: unknown; error: { code: number; message: string } };

/** A raw MCP POST, for requests the SDK client would never send. */
function post(bot: string, key: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/mcp/${bot}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body,
  });
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
});

describe("MCP server per bot", () => {
  it("lists the two tools, described from the bot's name and description", async () => {
    const client = await connect(acme.bot.publicId, acmeKey);
    expect(client.getServerVersion()).toMatchObject({ name: `docent-${acme.bot.publicId}`, title: "Acme router help" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["ask", "search_documents"]);
    for (const tool of tools) {
      expect(tool.description).toContain('"Acme router help"');
      expect(tool.description).toContain("X200 routers");
    }
    const search = tools.find((t) => t.name === "search_documents")!;
    expect(search.inputSchema.required).toEqual(["query"]);
    expect(search.outputSchema?.properties).toHaveProperty("passages");
  });

  it("searches: passages with document, page, heading and score, best first", async () => {
    const client = await connect(acme.bot.id, acmeKey); // the bot's uuid works too
    const result = await client.callTool({ name: "search_documents", arguments: { query: "reset the X200 router", limit: 2 } });
    expect(result.isError).toBeFalsy();
    const { passages } = result.structuredContent as { passages: Record<string, unknown>[] };
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.length).toBeLessThanOrEqual(2);
    expect(passages[0]).toMatchObject({
      rank: 1,
      documentId: manual.id,
      documentName: "router-manual.pdf",
      page: 12,
      headingPath: ["Troubleshooting", "Reset"],
    });
    expect(passages[0]!.score).toBeGreaterThan(0);
    expect(passages[0]!.text).toContain("recessed reset button");
    expect((result.content as { text: string }[])[0]!.text).toContain("router-manual.pdf, page 12");
  });

  it("meters searches like the search API: one of the month's searches each, refused past the plan's limit", async () => {
    const tenant = await createWorkspaceWithBot(db.db, { name: "Metered" });
    await addDocument(db.db, embedder, tenant.bot, "returns.txt", ["Returns are accepted within thirty days of delivery."]);
    await subscribe(db.db, tenant.workspace.id, await createPlan(db.db, { name: "One search", maxRetrievalsPerMonth: 1 }));
    const client = await connect(tenant.bot.publicId, await createTestApiKey(db.db, tenant.workspace.id));

    const first = await client.callTool({ name: "search_documents", arguments: { query: "returns within thirty days" } });
    expect(first.isError).toBeFalsy();
    const [counter] = await db.db.select().from(s.usageCounters).where(eq(s.usageCounters.workspaceId, tenant.workspace.id));
    expect(counter).toMatchObject({ retrievals: 1, queries: 0 });
    // Logged just after the search answers.
    await vi.waitFor(async () => {
      const logged = await db.db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.botId, tenant.bot.id));
      expect(logged).toMatchObject([{ kind: "retrieval", channel: "api", queryText: "returns within thirty days" }]);
    });

    const refused = await client.callTool({ name: "search_documents", arguments: { query: "returns within thirty days" } });
    expect(refused.isError).toBe(true);
    expect((refused.content as { text: string }[])[0]!.text).toMatch(/Limit reached: 1 search per month on the One search plan.*\[QUOTA_EXCEEDED\]/);
  });

  it("asks: an answer whose citations were checked against its sources", async () => {
    const client = await connect(acme.bot.publicId, acmeKey);
    const result = await client.callTool({ name: "ask", arguments: { question: "How long is the router warranty?" } });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as { answer: string; citations: { index: number; documentName: string }[]; refused: boolean; conversationId: string };
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("three-year warranty");
    expect(answer.citations[0]).toMatchObject({ index: 1, documentName: "warranty.txt" });
    // Stored like any API answer, as the key's conversation.
    const [conversation] = await db.db.select().from(s.conversations).where(eq(s.conversations.id, answer.conversationId));
    expect(conversation).toMatchObject({ botId: acme.bot.id, channel: "api", metadata: { via: "mcp" } });
  });

  it("reports tool failures the caller can act on as tool errors", async () => {
    await db.db.update(s.bots).set({ status: "DISABLED" }).where(eq(s.bots.id, otherAcmeBot.id));
    const client = await connect(otherAcmeBot.publicId, acmeKey);
    const result = await client.callTool({ name: "ask", arguments: { question: "anything?" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/disabled \[BOT_DISABLED\]/);
    const invalid = await client.callTool({ name: "search_documents", arguments: { query: "" } }).catch((e: Error) => e);
    expect(JSON.stringify(invalid)).toMatch(/query/);
  });

  it("refuses a key of another workspace, a revoked key and a key without the chat scope", async () => {
    await expect(connect(acme.bot.publicId, globexKey)).rejects.toThrow(/HTTP 404|Bot not found/);
    const raw = await post(acme.bot.publicId, globexKey, initialize);
    expect(raw.status).toBe(404);
    expect(await raw.json()).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32000, message: "Bot not found", data: { error: "NOT_FOUND" } } });

    const revocable = await createTestApiKey(db.db, acme.workspace.id);
    const client = await connect(acme.bot.publicId, revocable);
    await db.db.update(s.apiKeys).set({ revokedAt: new Date() }).where(eq(s.apiKeys.keyHash, sha256Hex(revocable)));
    await expect(client.listTools()).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/Invalid, revoked or expired API key/) });

    const readOnly = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["bots:read"] });
    const denied = await post(acme.bot.publicId, readOnly, initialize);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as JsonRpcError).error.message).toMatch(/lacks the "chat" scope/);

    const restricted = await createTestApiKey(db.db, acme.workspace.id, { botId: otherAcmeBot.id });
    expect((await post(acme.bot.publicId, restricted, initialize)).status).toBe(404);
    expect((await post(acme.bot.publicId, "", initialize, { authorization: "" })).status).toBe(401);
  });

  it("answers malformed requests with readable JSON-RPC errors, never a 500", async () => {
    const cases: { body: string; headers?: Record<string, string>; status: number; code: number; message: RegExp }[] = [
      { body: "{not json", status: 400, code: -32700, message: /not valid JSON/ },
      { body: JSON.stringify({ hello: "world" }), status: 400, code: -32700, message: /Invalid JSON-RPC message/ },
      { body: initialize, headers: { "content-type": "text/plain" }, status: 415, code: -32000, message: /content-type/i },
      { body: initialize, headers: { accept: "application/json" }, status: 406, code: -32000, message: /text\/event-stream/ },
    ];
    for (const c of cases) {
      const res = await post(acme.bot.publicId, acmeKey, c.body, c.headers);
      expect(res.status, c.body).toBe(c.status);
      const body = (await res.json()) as JsonRpcError;
      expect(body.jsonrpc).toBe("2.0");
      expect(body.error.code).toBe(c.code);
      expect(body.error.message).toMatch(c.message);
    }
    const unknownTool = await post(
      acme.bot.publicId,
      acmeKey,
      JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "drop_tables", arguments: {} } }),
      { "mcp-protocol-version": "2025-06-18" },
    );
    expect(unknownTool.status).toBe(200);
    expect(await unknownTool.json()).toMatchObject({
      id: 7,
      result: { isError: true, content: [{ type: "text", text: expect.stringMatching(/drop_tables not found/) }] },
    });

    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${base}/v1/mcp/${acme.bot.publicId}`, { method, headers: { authorization: `Bearer ${acmeKey}`, accept: "text/event-stream" } });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(((await res.json()) as JsonRpcError).error.message).toMatch(/Method not allowed/);
    }
  });
});

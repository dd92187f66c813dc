/**
 * An embedding provider that is unreachable or overloaded while the chat service embeds a
 * question: the request answers 503 with Retry-After (the provider's trouble, not a bug),
 * through the real `openai` client against a local endpoint that refuses connections or
 * answers 503; a provider that rejects the request (401) stays an error of its own kind.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpenAIEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";
import { createHashEmbedder } from "../test-support/hash-embedder";

let status = 503;
const provider = createServer((_req, res) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message: "busy", type: "server_error" } }));
});
await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
const refusing = createServer();
await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
const refusedPort = (refusing.address() as AddressInfo).port;
await new Promise<void>((resolve) => refusing.close(() => resolve()));
afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

let baseURL = `http://127.0.0.1:${refusedPort}/v1`;
const embedderFor = async () =>
  createOpenAIEmbedder({ baseURL, apiKey: "sk-test", model: "test-embed", provider: "openai_compatible", maxRetries: 0 });

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const app = await buildTestApp(db, redis, {}, { embedderFor });
afterAll(() => app.close());
const { workspace, bot } = await createWorkspaceWithBot(db.db);
// Chunks embedded with the model the workspace uses, so retrieval asks the provider.
await addDocument(db.db, createHashEmbedder("openai_compatible:test-embed"), bot, "manual.txt", [
  "To reset the X200 router, hold the reset button for ten seconds.",
]);
const key = await createTestApiKey(db.db, workspace.id);
const retrieve = () =>
  app.inject({
    method: "POST",
    url: `/v1/bots/${bot.id}/retrieve`,
    headers: { authorization: `Bearer ${key}` },
    payload: { query: "How do I reset the router?", mode: "vector" },
  });

describe("an embedding provider outage while embedding a question", () => {
  it("answers 503 with Retry-After when the provider cannot be reached", async () => {
    baseURL = `http://127.0.0.1:${refusedPort}/v1`;
    const res = await retrieve();
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(res.json()).toMatchObject({ statusCode: 503, error: "SERVICE_UNAVAILABLE" });
  });

  it("answers 503 when the provider says it is overloaded, and not when it refuses the key", async () => {
    baseURL = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
    status = 503;
    expect((await retrieve()).statusCode).toBe(503);
    status = 401;
    expect((await retrieve()).statusCode).not.toBe(503);
  });
});

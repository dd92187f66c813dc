/**
 * The chat service over HTTP on real Postgres + pgvector and Redis, with the offline
 * embedder and the extractive responder (the defaults): chat (JSON and SSE), the
 * retrieval test, tenant isolation, API-key scopes, conversations and feedback.
 */
import { describe, expect, it } from "vitest";
import { buildTestApp, useChatTestApp, createTestApiKey, parseSse } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";
import { createBot } from "@docent/testing/factories";

const { db, redis, app, embedder } = await useChatTestApp();

const acme = await createWorkspaceWithBot(db.db, { name: "Acme support" });
const { document: manual } = await addDocument(db.db, embedder, acme.bot, "router-manual.pdf", [
  { text: "To reset the X200 router, hold the recessed reset button for ten seconds until the light blinks amber.", page: 12, headingPath: ["Troubleshooting", "Reset"] },
  { text: "The X200 router supports WPA3 encryption and up to 64 connected devices.", page: 3 },
]);
const { document: warranty } = await addDocument(db.db, embedder, acme.bot, "warranty.txt", [
  "Every Acme router carries a three-year warranty covering hardware defects.",
]);
const acmeKey = await createTestApiKey(db.db, acme.workspace.id);

// A second tenant with a sentence that must never reach Acme's answers.
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
await addDocument(db.db, embedder, globex.bot, "globex-secrets.txt", [
  "Globex internal: the X200 router reset password is tangerine-kestrel-42.",
]);
const globexKey = await createTestApiKey(db.db, globex.workspace.id);

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe("POST /v1/bots/:botId/chat", () => {
  it("answers with a citation of the document that holds the fact", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(acmeKey),
      payload: { message: "How do I reset the X200 router?" },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.extractive).toBe(true);
    expect(body.answer).toContain("hold the recessed reset button");
    expect(body.citations[0]).toMatchObject({ documentId: manual.id, documentName: "router-manual.pdf", page: 12, headingPath: ["Troubleshooting", "Reset"] });
    expect(JSON.stringify(body)).not.toContain("tangerine-kestrel");
  });

  it("streams start, tokens, citations and done as Server-Sent Events", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(acmeKey),
      payload: { message: "How long is the router warranty?", stream: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
    const events = parseSse(res.body);
    expect(events[0]!.event).toBe("start");
    const start = events[0]!.data as { conversationId: string; messageId: string };
    const tokens = events.filter((e) => e.event === "token").map((e) => (e.data as { text: string }).text);
    const citations = events.find((e) => e.event === "citations")!.data as { citations: { documentId: string }[] };
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(tokens.join("")).toBe((done.data as { answer: string }).answer);
    expect(citations.citations[0]!.documentId).toBe(warranty.id);
    expect((done.data as { messageId: string }).messageId).toBe(start.messageId);

    // The conversation continues with its id.
    const next = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(acmeKey),
      payload: { message: "Does the warranty cover hardware defects?", conversationId: start.conversationId },
    });
    expect(next.json().conversationId).toBe(start.conversationId);
  });

  it("rejects bad input with the failing field named", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(acmeKey),
      payload: { message: "", stream: "yes" },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, error: "VALIDATION_FAILED" });
    expect(body.requestId).toBeTruthy();
    const paths = body.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["body.message", "body.stream"]));
  });

  it("answers an empty, a whitespace-only or a 100 kB question and another bot's conversation id with a 4xx naming the problem", async () => {
    const chat = (botId: string, payload: Record<string, unknown>) =>
      app.inject({ method: "POST", url: `/v1/bots/${botId}/chat`, headers: auth(acmeKey), payload });
    for (const message of ["", "   \n\t "]) {
      const res = await chat(acme.bot.id, { message });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.issues).toEqual([expect.objectContaining({ path: "body.message", message: "message must not be empty" })]);
    }
    const huge = await chat(acme.bot.id, { message: "why ".repeat(25_000), stream: true });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().details.issues[0]).toMatchObject({ path: "body.message" });
    expect(huge.json().details.issues[0].message).toMatch(/8000/);

    const first = await chat(acme.bot.id, { message: "How do I reset the X200 router?" });
    const other = await createBot(db.db, { workspaceId: acme.workspace.id, name: "Other bot" });
    const res = await chat(other.id, { message: "And then?", conversationId: first.json().conversationId, stream: true });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "CONVERSATION_NOT_FOUND", details: { field: "conversationId" } });
    expect(res.json().message).toContain(first.json().conversationId);
  });

  it("keeps tenants apart: another workspace's key cannot see the bot, and its sentence is never retrieved", async () => {
    const foreign = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(globexKey),
      payload: { message: "How do I reset the X200 router?" },
    });
    expect(foreign.statusCode).toBe(404);
    const retrieve = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/retrieve`,
      headers: auth(acmeKey),
      payload: { query: "X200 router reset password tangerine-kestrel-42 Globex internal", topK: 20 },
    });
    expect(retrieve.statusCode).toBe(200);
    expect(JSON.stringify(retrieve.json())).not.toContain("tangerine");
  });

  it("enforces API key scopes and bot restrictions", async () => {
    const readOnly = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["bots:read"] });
    const noScope = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(readOnly),
      payload: { message: "hi" },
    });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().message).toContain('"chat" scope');
    const otherBot = await createBot(db.db, { workspaceId: acme.workspace.id });
    const restricted = await createTestApiKey(db.db, acme.workspace.id, { botId: otherBot.id });
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(restricted),
      payload: { message: "hi" },
    });
    expect(res.statusCode).toBe(404);
    const anonymous = await app.inject({ method: "POST", url: `/v1/bots/${acme.bot.id}/chat`, payload: { message: "hi" } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("GET /v1/platform/defaults", () => {
  it("names the platform's default answer model and embedder, to signed-in callers only", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/platform/defaults" })).statusCode).toBe(401);
    const offline = await app.inject({ method: "GET", url: "/v1/platform/defaults", headers: auth(acmeKey) });
    expect(offline.json()).toEqual({
      llm: { provider: "local", model: "extractive-v2", extractive: true },
      embedding: { provider: "local", model: "local:lexical-hash-v1" },
    });
    const withModel = await buildTestApp(db, redis, { LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "qwen2.5-14b-instruct", LLM_PROVIDER: "vllm" });
    try {
      const res = await withModel.inject({ method: "GET", url: "/v1/platform/defaults", headers: auth(acmeKey) });
      expect(res.json().llm).toEqual({ provider: "vllm", model: "qwen2.5-14b-instruct", extractive: false });
      expect(JSON.stringify(res.json())).not.toContain("127.0.0.1");
    } finally {
      await withModel.close();
    }
  });
});

describe("POST /v1/bots/:botId/retrieve", () => {
  it("shows each mode's rank and score with document name, page and heading", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/retrieve`,
      headers: auth(acmeKey),
      payload: { query: "reset button router", mode: "hybrid", topK: 3 },
    });
    const body = res.json();
    expect(body.mode).toBe("hybrid");
    expect(body.embeddingModel).toBe("local:lexical-hash-v1");
    const top = body.chunks[0];
    expect(top).toMatchObject({ documentName: "router-manual.pdf", page: 12, headingPath: ["Troubleshooting", "Reset"], rank: 1 });
    expect(top.vector).toMatchObject({ rank: expect.any(Number), score: expect.any(Number) });
    expect(top.keyword).toMatchObject({ rank: 1, score: expect.any(Number) });
    expect(top.hybrid).toMatchObject({ rank: 1 });
  });
});

describe("conversations, transcripts and feedback", () => {
  it("lists conversations by channel and feedback, and returns a transcript with citations", async () => {
    const asked = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: auth(acmeKey),
      payload: { message: "How many devices can connect to the X200?" },
    });
    const { conversationId, messageId } = asked.json();
    const fb = await app.inject({
      method: "POST",
      url: `/v1/messages/${messageId}/feedback`,
      headers: auth(acmeKey),
      payload: { rating: -1, comment: "too short" },
    });
    expect(fb.statusCode).toBe(200);
    const edited = await app.inject({
      method: "POST",
      url: `/v1/messages/${messageId}/feedback`,
      headers: auth(acmeKey),
      payload: { rating: 1 },
    });
    expect(edited.json()).toMatchObject({ rating: 1, comment: null });
    const foreignFeedback = await app.inject({
      method: "POST",
      url: `/v1/messages/${messageId}/feedback`,
      headers: auth(globexKey),
      payload: { rating: -1 },
    });
    expect(foreignFeedback.statusCode).toBe(404);

    const positive = await app.inject({
      method: "GET",
      url: `/v1/bots/${acme.bot.id}/conversations?channel=api&feedback=positive`,
      headers: auth(acmeKey),
    });
    expect(positive.statusCode, positive.body).toBe(200);
    expect(positive.json().items.map((c: { id: string }) => c.id)).toEqual([conversationId]);
    const widgetOnly = await app.inject({
      method: "GET",
      url: `/v1/bots/${acme.bot.id}/conversations?channel=widget`,
      headers: auth(acmeKey),
    });
    expect(widgetOnly.json().items).toEqual([]);
    const future = await app.inject({
      method: "GET",
      url: `/v1/bots/${acme.bot.id}/conversations?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
      headers: auth(acmeKey),
    });
    expect(future.json().items).toEqual([]);

    const transcript = await app.inject({
      method: "GET",
      url: `/v1/bots/${acme.bot.id}/conversations/${conversationId}`,
      headers: auth(acmeKey),
    });
    const messages = transcript.json().messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(["USER", "ASSISTANT"]);
    expect(messages[1].citations[0]).toMatchObject({ index: 1, documentId: manual.id, documentName: "router-manual.pdf", page: 3 });
    expect(messages[1].feedback).toEqual({ rating: 1, stars: null, comment: null });
  });
});

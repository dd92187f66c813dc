/**
 * `GET /v1/bots/:botId/analytics` on real Postgres: questions asked through the chat
 * endpoint (extractive answers) and their feedback come back as per-day counts, totals,
 * the most cited documents and the questions that found no source; tenants stay apart.
 */
import { analyticsQueryLogs } from "@docent/db/schema";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { useChatTestApp, createTestApiKey } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();

const acme = await createWorkspaceWithBot(db.db, { name: "Acme support" });
const { document: manual } = await addDocument(db.db, embedder, acme.bot, "router-manual.pdf", [
  { text: "To reset the X200 router, hold the recessed reset button for ten seconds until the light blinks amber.", page: 12 },
]);
const { document: warranty } = await addDocument(db.db, embedder, acme.bot, "blender-warranty.txt", [
  "Every Acme blender carries a three-year warranty on its motor.",
]);
const acmeKey = await createTestApiKey(db.db, acme.workspace.id);
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
const globexKey = await createTestApiKey(db.db, globex.workspace.id);

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function ask(message: string) {
  const res = await app.inject({ method: "POST", url: `/v1/bots/${acme.bot.id}/chat`, headers: auth(acmeKey), payload: { message } });
  expect(res.statusCode).toBe(200);
  return res.json() as { messageId: string; citations: { documentId: string }[] };
}

async function rate(messageId: string, rating: 1 | -1) {
  const res = await app.inject({ method: "POST", url: `/v1/messages/${messageId}/feedback`, headers: auth(acmeKey), payload: { rating } });
  expect(res.statusCode).toBe(200);
}

function analytics(query: string, key = acmeKey, botId = acme.bot.id) {
  return app.inject({ method: "GET", url: `/v1/bots/${botId}/analytics?${query}`, headers: auth(key) });
}

beforeAll(async () => {
  const reset1 = await ask("How do I reset the X200 router?");
  expect(reset1.citations[0]?.documentId).toBe(manual.id);
  await rate(reset1.messageId, 1);
  await ask("How do I reset the X200 router to factory settings?");
  const offTopic = await ask("What is the capital of Mongolia?");
  expect(offTopic.citations).toEqual([]);
  await rate(offTopic.messageId, -1);
  await ask("  what is the capital of mongolia?");
  const old = await ask("How long is the blender warranty?");
  expect(old.citations[0]?.documentId).toBe(warranty.id);
  await rate(old.messageId, 1);
  // Asked two days ago: it must land on that day, not today.
  await db.db
    .update(analyticsQueryLogs)
    .set({ createdAt: sql`now() - interval '2 days'` })
    .where(eq(analyticsQueryLogs.messageId, old.messageId));
});

describe("GET /v1/bots/:botId/analytics", () => {
  it("counts questions, tokens, latency and feedback per UTC day, with empty days as zeros", async () => {
    const res = await analytics(`from=${day(-3)}&to=${day(0)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.daily.map((d: { date: string }) => d.date)).toEqual([day(-3), day(-2), day(-1), day(0)]);
    expect(body.daily.map((d: { queries: number }) => d.queries)).toEqual([0, 1, 0, 4]);
    expect(body.daily[0]).toMatchObject({ queries: 0, p50Ms: null, p95Ms: null, tokensIn: 0, tokensOut: 0, up: 0, down: 0 });
    expect(body.daily[1]).toMatchObject({ up: 1, down: 0 });
    expect(body.daily[3]).toMatchObject({ up: 1, down: 1 });
    expect(body.totals).toMatchObject({ queries: 5, up: 2, down: 1 });
    expect(body.totals.tokensIn).toBeGreaterThan(0);
    expect(body.totals.tokensOut).toBeGreaterThan(0);
    expect(body.totals.p50Ms).toEqual(expect.any(Number));
    expect(body.totals.p95Ms).toBeGreaterThanOrEqual(body.totals.p50Ms);
  });

  it("ranks the most cited documents and lists the questions that found no source", async () => {
    const body = (await analytics(`from=${day(-3)}&to=${day(0)}`)).json();
    expect(body.topDocuments).toEqual([
      { documentId: manual.id, name: "router-manual.pdf", count: 2 },
      { documentId: warranty.id, name: "blender-warranty.txt", count: 1 },
    ]);
    expect(body.unanswered).toHaveLength(1);
    expect(body.unanswered[0]).toMatchObject({ question: "what is the capital of mongolia?", count: 2 });
    expect(Date.parse(body.unanswered[0].lastAskedAt)).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it("leaves out questions asked outside the range", async () => {
    const body = (await analytics(`from=${day(0)}&to=${day(0)}`)).json();
    expect(body.daily).toHaveLength(1);
    expect(body.totals).toMatchObject({ queries: 4, up: 1, down: 1 });
    expect(body.topDocuments.map((d: { name: string }) => d.name)).toEqual(["router-manual.pdf"]);
  });

  it("keeps tenants apart and needs the analytics:read scope", async () => {
    const foreign = await analytics(`from=${day(-3)}&to=${day(0)}`, globexKey);
    expect(foreign.statusCode).toBe(404);
    const chatOnly = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat"] });
    const noScope = await analytics(`from=${day(-3)}&to=${day(0)}`, chatOnly);
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().message).toContain('"analytics:read" scope');
    const own = (await analytics(`from=${day(-3)}&to=${day(0)}`, globexKey, globex.bot.id)).json();
    expect(own.totals.queries).toBe(0);
    expect(own.topDocuments).toEqual([]);
  });

  it("rejects a bad range with the failing field named", async () => {
    for (const [query, field] of [
      [`from=${day(0)}&to=${day(-1)}`, "query.from"],
      [`from=${day(-400)}&to=${day(0)}`, "query.to"],
      [`from=yesterday&to=${day(0)}`, "query.from"],
      [`to=${day(0)}`, "query.from"],
    ] as const) {
      const res = await analytics(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().details.issues.map((i: { path: string }) => i.path), query).toContain(field);
    }
  });
});

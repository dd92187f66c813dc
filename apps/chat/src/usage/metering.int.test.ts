/**
 * The search API is metered: every `POST /v1/bots/:botId/retrieve` takes one search from
 * the workspace's monthly allowance (its own limit, apart from questions), a used-up
 * allowance answers 429 naming the limit in words, and searches show in the bot's
 * analytics apart from answered questions. Before this, 8,600 calls left the counters at 22.
 */
import * as s from "@docent/db/schema";
import { createPlan, subscribe } from "@docent/testing/factories";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { useChatTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();

async function tenantOn(plan: { code: string; name: string; maxRetrievalsPerMonth: number | null; maxQueriesPerMonth: number | null }) {
  const tenant = await createWorkspaceWithBot(db.db);
  await addDocument(db.db, embedder, tenant.bot, "returns.txt", ["Returns are accepted within thirty days of delivery."]);
  await subscribe(db.db, tenant.workspace.id, await createPlan(db.db, plan));
  return { ...tenant, key: await createTestApiKey(db.db, tenant.workspace.id) };
}

const retrieve = (botId: string, key: string, payload: Record<string, unknown> = { query: "returns within thirty days" }) =>
  app.inject({ method: "POST", url: `/v1/bots/${botId}/retrieve`, headers: { authorization: `Bearer ${key}` }, payload });

const counters = async (workspaceId: string) => {
  const [row] = await db.db.select().from(s.usageCounters).where(eq(s.usageCounters.workspaceId, workspaceId));
  return { queries: row?.queries ?? 0, retrievals: row?.retrievals ?? 0 };
};

describe("the search API's allowance", () => {
  it("counts each call and stops at the plan's limit with a 429 naming it in words", async () => {
    const t = await tenantOn({ code: "searchy", name: "Searchy", maxRetrievalsPerMonth: 2, maxQueriesPerMonth: 5 });
    for (let i = 0; i < 2; i++) {
      const ok = await retrieve(t.bot.id, t.key);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().chunks[0].content).toContain("thirty days");
    }
    expect(await counters(t.workspace.id)).toEqual({ queries: 0, retrievals: 2 });

    const refused = await retrieve(t.bot.id, t.key);
    expect(refused.statusCode).toBe(402);
    const body = refused.json();
    expect(body.error).toBe("QUOTA_EXCEEDED");
    expect(body.message).toMatch(/^Limit reached: 2 searches per month on the Searchy plan\. It resets on \d{4}-\d{2}-01 \(UTC\)\.$/);
    expect(body.details).toMatchObject({ limit: "retrievalsPerMonth", max: 2, used: 2, plan: "Searchy" });
    expect(await counters(t.workspace.id)).toEqual({ queries: 0, retrievals: 2 });

    // Questions have their own allowance: still answered.
    const chat = await app.inject({
      method: "POST",
      url: `/v1/bots/${t.bot.id}/chat`,
      headers: { authorization: `Bearer ${t.key}` },
      payload: { message: "How long do I have to return an item?" },
    });
    expect(chat.statusCode).toBe(200);
    expect(await counters(t.workspace.id)).toEqual({ queries: 1, retrievals: 2 });
  });

  it("does not count calls refused before searching (bad input, another tenant's bot)", async () => {
    const t = await tenantOn({ code: "searchy-2", name: "Searchy 2", maxRetrievalsPerMonth: 10, maxQueriesPerMonth: 5 });
    const other = await tenantOn({ code: "searchy-3", name: "Searchy 3", maxRetrievalsPerMonth: 10, maxQueriesPerMonth: 5 });
    expect((await retrieve(t.bot.id, t.key, { query: "" })).statusCode).toBe(400);
    expect((await retrieve(other.bot.id, t.key)).statusCode).toBe(404);
    expect(await counters(t.workspace.id)).toEqual({ queries: 0, retrievals: 0 });
    expect(await counters(other.workspace.id)).toEqual({ queries: 0, retrievals: 0 });
  });

  it("counts without a limit on a plan that sets none", async () => {
    const t = await tenantOn({ code: "open", name: "Open", maxRetrievalsPerMonth: null, maxQueriesPerMonth: null });
    for (let i = 0; i < 5; i++) expect((await retrieve(t.bot.id, t.key)).statusCode).toBe(200);
    expect(await counters(t.workspace.id)).toEqual({ queries: 0, retrievals: 5 });
  });

  it("shows searches in the bot's analytics, apart from answered questions", async () => {
    const t = await tenantOn({ code: "analytic", name: "Analytic", maxRetrievalsPerMonth: 100, maxQueriesPerMonth: 100 });
    for (const query of ["returns within thirty days", "zebra migration patterns"]) {
      expect((await retrieve(t.bot.id, t.key, { query })).statusCode).toBe(200);
    }
    const chat = await app.inject({
      method: "POST",
      url: `/v1/bots/${t.bot.id}/chat`,
      headers: { authorization: `Bearer ${t.key}` },
      payload: { message: "How long do I have to return an item?" },
    });
    expect(chat.statusCode).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    // Searches are logged just after they answer.
    await vi.waitFor(async () => {
      const analytics = await app.inject({
        method: "GET",
        url: `/v1/bots/${t.bot.id}/analytics?from=${today}&to=${today}`,
        headers: { authorization: `Bearer ${t.key}` },
      });
      expect(analytics.statusCode).toBe(200);
      const body = analytics.json();
      expect(body.totals).toMatchObject({ queries: 1, retrievals: 2 });
      expect(body.daily.at(-1)).toMatchObject({ date: today, queries: 1, retrievals: 2 });
      // A search with no good source is not an unanswered question.
      expect(body.unanswered.map((u: { question: string }) => u.question)).not.toContain("zebra migration patterns");
      const logs = await db.db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.botId, t.bot.id));
      const searches = logs.filter((l) => l.kind === "retrieval").map((l) => [l.channel, l.queryText, l.conversationId]);
      expect(searches.sort()).toEqual([
        ["api", "returns within thirty days", null],
        ["api", "zebra migration patterns", null],
      ]);
    });
  });
});

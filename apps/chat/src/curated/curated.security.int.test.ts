/**
 * Tenant isolation of curated answers, the inbox and ratings: another workspace's key
 * gets 404 on every route addressing the bot, its curated answers or its messages, and
 * nothing changes; a curated answer of another tenant's bot never answers this bot's
 * questions.
 */
import * as s from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApiKey, useChatTestApp } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();
const scopes = ["chat", "bots:read", "bots:write", "analytics:read"] as const;

const acme = await createWorkspaceWithBot(db.db, { name: "Acme" });
await addDocument(db.db, embedder, acme.bot, "returns.md", ["Returns are free within thirty days of delivery."]);
const acmeAuth = { authorization: `Bearer ${await createTestApiKey(db.db, acme.workspace.id, { scopes: [...scopes] })}` };
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
const globexAuth = { authorization: `Bearer ${await createTestApiKey(db.db, globex.workspace.id, { scopes: [...scopes] })}` };

const SECRET = "Globex's internal escalation number is 555-0199.";

describe("curated answers across tenants", () => {
  it("never answers another tenant's questions with a curated answer, nor lets it be read or changed", async () => {
    const own = await app.inject({
      method: "POST",
      url: `/v1/bots/${globex.bot.id}/curated-answers`,
      headers: globexAuth,
      payload: { question: "How do I reset my password?", answer: SECRET },
    });
    expect(own.statusCode).toBe(201);
    const globexCurated = own.json().id as string;

    // Acme asks the very same question: Globex's curated answer is not used.
    const asked = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: acmeAuth,
      payload: { message: "How do I reset my password?" },
    });
    expect(asked.json().curated).toBeNull();
    expect(asked.json().answer).not.toContain("555-0199");

    // Acme cannot list, read, edit, delete it, nor create one on Globex's bot.
    const paths = [
      ["GET", `/v1/bots/${globex.bot.id}/curated-answers`, undefined],
      ["GET", `/v1/bots/${globex.bot.id}/curated-answers/${globexCurated}`, undefined],
      ["PATCH", `/v1/bots/${globex.bot.id}/curated-answers/${globexCurated}`, { enabled: false }],
      ["DELETE", `/v1/bots/${globex.bot.id}/curated-answers/${globexCurated}`, undefined],
      ["POST", `/v1/bots/${globex.bot.id}/curated-answers`, { question: "Q?", answer: "Planted" }],
      // Through its own bot id, the other tenant's curated answer id is unknown too.
      ["GET", `/v1/bots/${acme.bot.id}/curated-answers/${globexCurated}`, undefined],
      ["PATCH", `/v1/bots/${acme.bot.id}/curated-answers/${globexCurated}`, { answer: "Hijacked" }],
      ["DELETE", `/v1/bots/${acme.bot.id}/curated-answers/${globexCurated}`, undefined],
    ] as const;
    for (const [method, url, payload] of paths) {
      const res = await app.inject({ method, url, headers: acmeAuth, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const rows = await db.db.select().from(s.curatedAnswers);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: globexCurated, answer: SECRET, enabled: true, hitCount: 0, botId: globex.bot.id });
  });

  it("keeps the inbox and its handled marks per tenant", async () => {
    const asked = await app.inject({
      method: "POST",
      url: `/v1/bots/${acme.bot.id}/chat`,
      headers: acmeAuth,
      payload: { message: "What are your opening hours?" },
    });
    expect(asked.json().refused).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const foreignInbox = await app.inject({ method: "GET", url: `/v1/bots/${acme.bot.id}/inbox?from=${today}&to=${today}`, headers: globexAuth });
    expect(foreignInbox.statusCode).toBe(404);
    const inbox = await app.inject({ method: "GET", url: `/v1/bots/${acme.bot.id}/inbox?from=${today}&to=${today}`, headers: acmeAuth });
    const ids = inbox.json().groups.flatMap((g: { queryLogIds: string[] }) => g.queryLogIds) as string[];
    expect(ids.length).toBeGreaterThan(0);

    const viaAcmeBot = await app.inject({ method: "POST", url: `/v1/bots/${acme.bot.id}/inbox/handled`, headers: globexAuth, payload: { queryLogIds: ids } });
    expect(viaAcmeBot.statusCode).toBe(404);
    // Through Globex's own bot, Acme's question ids match nothing.
    const viaOwnBot = await app.inject({ method: "POST", url: `/v1/bots/${globex.bot.id}/inbox/handled`, headers: globexAuth, payload: { queryLogIds: ids } });
    expect(viaOwnBot.json()).toEqual({ handled: 0 });
    // Nor can a curated answer on Globex's bot mark Acme's questions handled.
    const planted = await app.inject({
      method: "POST",
      url: `/v1/bots/${globex.bot.id}/curated-answers`,
      headers: globexAuth,
      payload: { question: "Opening hours?", answer: "Nine to five.", handlesQueryLogIds: ids },
    });
    expect(planted.json().handledQuestions).toBe(0);
    const logs = await db.db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.botId, acme.bot.id));
    expect(logs.every((l) => l.handledAt === null)).toBe(true);

    // Rating another tenant's answer: 404, nothing stored.
    const rating = await app.inject({ method: "POST", url: `/v1/messages/${asked.json().messageId}/feedback`, headers: globexAuth, payload: { stars: 1 } });
    expect(rating.statusCode).toBe(404);
    expect(await db.db.select().from(s.analyticsFeedback)).toEqual([]);
  });
});

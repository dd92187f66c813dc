/**
 * The chat service's webhook events and daily usage: a new conversation sends
 * `conversation.created` once (not for later messages); a thumbs down sends
 * `message.rated`, a thumbs up does not; a visitor's handoff request is refused unless the
 * widget offers it, then recorded on their own conversation and sent once; another
 * visitor's conversation reads as missing. Answers count messages, tokens and API calls
 * per bot and day, curated answers included.
 */
import { addOrigin } from "@docent/db/queries/origins";
import { insertWebhookEndpoint } from "@docent/db/queries/webhooks";
import * as s from "@docent/db/schema";
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createTestApiKey, useChatTestApp } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();
const shop = await createWorkspaceWithBot(db.db, { name: "Shop assistant" });
await addDocument(db.db, embedder, shop.bot, "shipping.md", ["Orders ship within two business days from our warehouse."]);
await addOrigin(db.db, { botId: shop.bot.id, origin: "https://www.shop.example" });
const endpointId = randomUUID();
await insertWebhookEndpoint(db.db, {
  id: endpointId,
  workspaceId: shop.workspace.id,
  createdBy: null,
  url: "https://hooks.example.test/docent",
  description: "",
  eventTypes: ["conversation.created", "message.rated", "handoff.requested"],
  enabled: true,
  // Recording events never opens the secret; the delivery worker does.
  secretCiphertext: "v1.sealed-elsewhere",
  secretHint: "whsec_test",
});

const widget = (path: string) => ({ url: `/v1/widget/${shop.bot.publicId}/${path}`, headers: { origin: "https://www.shop.example" } });
const events = async (type: string) =>
  (await db.db.select().from(s.webhookDeliveries).where(and(eq(s.webhookDeliveries.endpointId, endpointId), eq(s.webhookDeliveries.eventType, type)))).map(
    (d) => d.payload as { data: Record<string, unknown> },
  );

async function ask(message: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({ method: "POST", ...widget("chat"), payload: { message, stream: false, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { conversationId: string; messageId: string; visitorId: string };
}

describe("webhook events from the chat service", () => {
  it("sends conversation.created once per conversation", async () => {
    const first = await ask("How fast do orders ship?");
    await ask("And on weekends?", { conversationId: first.conversationId, visitorId: first.visitorId });
    const created = (await events("conversation.created")).filter((e) => e.data.conversationId === first.conversationId);
    expect(created).toHaveLength(1);
    expect(created[0]!.data).toMatchObject({ botId: shop.bot.id, channel: "widget", title: "How fast do orders ship?" });
  });

  it("sends message.rated for a thumbs down only", async () => {
    const answer = await ask("When does my order ship?");
    const rate = (rating: number) =>
      app.inject({ method: "POST", ...widget(`messages/${answer.messageId}/feedback`), payload: { rating, visitorId: answer.visitorId } });
    expect((await rate(1)).statusCode).toBe(200);
    expect((await events("message.rated")).filter((e) => e.data.messageId === answer.messageId)).toHaveLength(0);
    expect((await rate(-1)).statusCode).toBe(200);
    const rated = (await events("message.rated")).filter((e) => e.data.messageId === answer.messageId);
    expect(rated).toHaveLength(1);
    expect(rated[0]!.data).toMatchObject({ thumbs: -1, stars: null, botId: shop.bot.id, conversationId: answer.conversationId });
  });

  it("records a handoff request when the widget offers it, sends it once, and hides other visitors' conversations", async () => {
    const answer = await ask("I need to talk to someone about my order");
    const handoff = (visitorId: string, conversationId = answer.conversationId) =>
      app.inject({ method: "POST", ...widget(`conversations/${conversationId}/handoff`), payload: { visitorId, note: "Order 1234 is late" } });

    const off = await handoff(answer.visitorId);
    expect(off.statusCode).toBe(403);
    expect(off.json().message).toMatch(/does not offer a handoff/);

    await db.db.update(s.widgetConfigurations).set({ handoffEnabled: true }).where(eq(s.widgetConfigurations.botId, shop.bot.id));
    const config = await app.inject({ method: "GET", ...widget("config") });
    expect(config.json().handoffEnabled).toBe(true);

    expect((await handoff("v_another-visitor-entirely")).statusCode).toBe(404);
    expect((await handoff(answer.visitorId, randomUUID())).statusCode).toBe(404);

    const first = await handoff(answer.visitorId);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ conversationId: answer.conversationId, alreadyRequested: false });
    const again = await handoff(answer.visitorId);
    expect(again.json()).toMatchObject({ alreadyRequested: true, handoffRequestedAt: first.json().handoffRequestedAt });

    const [row] = await db.db.select().from(s.conversations).where(eq(s.conversations.id, answer.conversationId));
    expect(row!.handoffNote).toBe("Order 1234 is late");
    const sent = (await events("handoff.requested")).filter((e) => e.data.conversationId === answer.conversationId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ visitorId: answer.visitorId, note: "Order 1234 is late", botId: shop.bot.id });

    // The admin's conversation list marks it and can show only such conversations.
    const admin = { authorization: `Bearer ${await createTestApiKey(db.db, shop.workspace.id)}` };
    const listed = await app.inject({ method: "GET", url: `/v1/bots/${shop.bot.id}/conversations?handoff=requested`, headers: admin });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ id: answer.conversationId, handoffRequestedAt: first.json().handoffRequestedAt }),
    ]);
    const all = await app.inject({ method: "GET", url: `/v1/bots/${shop.bot.id}/conversations`, headers: admin });
    expect(all.json().items.length).toBeGreaterThan(1);
    expect(all.json().items.filter((c: { handoffRequestedAt: string | null }) => c.handoffRequestedAt !== null)).toHaveLength(1);
  });
});

describe("daily usage by metric", () => {
  it("counts answered messages and API calls per bot and day", async () => {
    const tenant = await createWorkspaceWithBot(db.db, { name: "Metered" });
    await addDocument(db.db, embedder, tenant.bot, "faq.md", ["Support answers within one day."]);
    const key = await createTestApiKey(db.db, tenant.workspace.id);
    for (const message of ["How fast is support?", "Is support quick?"]) {
      const res = await app.inject({ method: "POST", url: `/v1/bots/${tenant.bot.id}/chat`, headers: { authorization: `Bearer ${key}` }, payload: { message } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const search = await app.inject({ method: "POST", url: `/v1/bots/${tenant.bot.id}/retrieve`, headers: { authorization: `Bearer ${key}` }, payload: { query: "support" } });
    expect(search.statusCode).toBe(200);
    // The search's API call is counted just after it answers.
    const rows = await vi.waitFor(async () => {
      const rows = await db.db.select().from(s.usageDaily).where(eq(s.usageDaily.botId, tenant.bot.id));
      expect(Object.fromEntries(rows.map((r) => [r.metric, r.value]))).toMatchObject({ messages: 2, api_calls: 3 });
      return rows;
    });
    expect(rows.every((r) => r.day === new Date().toISOString().slice(0, 10) && r.workspaceId === tenant.workspace.id)).toBe(true);
  });

  it("treats a curated answer like any answer: it starts a conversation and counts as a message and an API call", async () => {
    const tenant = await createWorkspaceWithBot(db.db, { name: "Curated" });
    await insertWebhookEndpoint(db.db, {
      id: randomUUID(),
      workspaceId: tenant.workspace.id,
      createdBy: null,
      url: "https://hooks.example.test/curated",
      description: "",
      eventTypes: ["conversation.created"],
      enabled: true,
      secretCiphertext: "v1.sealed-elsewhere",
      secretHint: "whsec_test",
    });
    const key = await createTestApiKey(db.db, tenant.workspace.id, { scopes: ["chat", "bots:write"] });
    const headers = { authorization: `Bearer ${key}` };
    const created = await app.inject({
      method: "POST",
      url: `/v1/bots/${tenant.bot.id}/curated-answers`,
      headers,
      payload: { question: "How do I reset my password?", answer: "Open Settings, then Security, and choose Reset password." },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await app.inject({ method: "POST", url: `/v1/bots/${tenant.bot.id}/chat`, headers, payload: { message: "I forgot my password, how do I reset it?" } });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { conversationId: string; curated: { id: string } | null };
    expect(answer.curated).not.toBeNull();

    const deliveries = await db.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.workspaceId, tenant.workspace.id));
    expect(deliveries.map((d) => [d.eventType, (d.payload as { data: { conversationId: string } }).data.conversationId])).toEqual([
      ["conversation.created", answer.conversationId],
    ]);
    const rows = await db.db.select().from(s.usageDaily).where(eq(s.usageDaily.botId, tenant.bot.id));
    expect(Object.fromEntries(rows.map((r) => [r.metric, r.value]))).toMatchObject({ messages: 1, api_calls: 1 });
  });
});

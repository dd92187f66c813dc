/**
 * Webhook deliveries end to end: an event written to the outbox reaches a real receiver
 * on 127.0.0.1 (ALLOW_PRIVATE_WEBHOOK_URLS on, as in tests) signed so the README's recipe
 * verifies it; 5xx answers are retried with backoff until one succeeds; a 400 is not
 * retried; attempts are bounded; an event recorded while Redis is unreachable is sent by
 * the sweeper once it is back.
 */
import { recordWebhookEvent } from "@docent/db/queries/webhooks";
import { createWebhookQueue } from "@docent/queue/webhooks";
import { createRedis } from "@docent/queue/redis";
import { createWebhookEmitter, verifyWebhookSignature } from "@docent/service-kit/webhooks";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { describe, expect, it } from "vitest";
import { logger } from "../../test/harness";
import { seedBot } from "../../test/seed";
import { createEndpoint, startReceiver, startWebhookRig, waitForDelivery } from "../../test/webhooks";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const { workspace, bot } = await seedBot(database.db);
const receiver = await startReceiver();

const { worker, emitter } = await startWebhookRig({ db: database.db, testRedis, policy: { allowPrivate: true }, concurrency: 4 });

async function emitOne(endpointId: string, data: Record<string, unknown> = { botId: bot.id }) {
  const before = receiver.received.length;
  await emitter.emit({ workspaceId: workspace.id, type: "conversation.created", data });
  const { items } = await import("@docent/db/queries/webhooks").then((q) =>
    q.listWebhookDeliveries(database.db, { workspaceId: workspace.id, endpointId, limit: 1, offset: 0 }),
  );
  return { delivery: items[0]!, before };
}

describe("webhook deliveries", () => {
  it("reaches the receiver once, signed with the endpoint's secret over timestamp and body", async () => {
    const { endpoint, secret } = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/signed") });
    const { delivery } = await emitOne(endpoint.id, { botId: bot.id, conversationId: "c-1" });
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: delivery.id });
    expect(settled).toMatchObject({ status: "SUCCEEDED", attempts: 1, responseStatus: 200, responseExcerpt: "ok", lastError: null });
    expect(settled.durationMs).toBeGreaterThanOrEqual(0);

    const hits = receiver.received.filter((r) => r.path === "/signed");
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    expect(hit.headers["content-type"]).toBe("application/json");
    expect(hit.headers["webhook-id"]).toBe(delivery.eventId);
    expect(hit.headers["webhook-event"]).toBe("conversation.created");
    const headers = { timestamp: String(hit.headers["webhook-timestamp"]), signature: String(hit.headers["webhook-signature"]) };
    expect(verifyWebhookSignature(secret, headers, hit.body)).toBe(true);
    // Any change to the body, or another secret, fails verification.
    expect(verifyWebhookSignature(secret, headers, hit.body.replace("c-1", "c-2"))).toBe(false);
    expect(verifyWebhookSignature(`${secret}x`, headers, hit.body)).toBe(false);
    expect(JSON.parse(hit.body)).toEqual({
      id: delivery.eventId,
      type: "conversation.created",
      createdAt: expect.any(String),
      workspaceId: workspace.id,
      data: { botId: bot.id, conversationId: "c-1" },
    });
  });

  it("retries after 500 and 503 with backoff, then records the success", async () => {
    const { endpoint } = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/flaky") });
    receiver.answer("/flaky", 500, 503);
    const { delivery } = await emitOne(endpoint.id);
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: delivery.id });
    expect(settled).toMatchObject({ status: "SUCCEEDED", attempts: 3, responseStatus: 200, lastError: null, nextAttemptAt: null });
    const hits = receiver.received.filter((r) => r.path === "/flaky");
    expect(hits).toHaveLength(3);
    // The same event every time: receivers de-duplicate on the id.
    expect(new Set(hits.map((h) => h.headers["webhook-id"]))).toEqual(new Set([delivery.eventId]));
  });

  it("does not retry a 400, and keeps the receiver's answer in the log", async () => {
    const { endpoint } = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/rejects") });
    receiver.answer("/rejects", 400);
    const { delivery } = await emitOne(endpoint.id);
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: delivery.id });
    expect(settled).toMatchObject({ status: "FAILED", attempts: 1, responseStatus: 400, responseExcerpt: "refused with 400" });
    expect(settled.lastError).toMatch(/400 \(not retried\)/);
    // Several retry periods later, still one request.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received.filter((r) => r.path === "/rejects")).toHaveLength(1);
  });

  it("gives up after the last attempt", async () => {
    const { endpoint } = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/down") });
    receiver.answer("/down", 500, 500, 500, 500);
    const { delivery } = await emitOne(endpoint.id);
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: delivery.id });
    expect(settled).toMatchObject({ status: "FAILED", attempts: 3, responseStatus: 500 });
    expect(settled.lastError).toMatch(/Gave up after 3 attempts/);
    expect(receiver.received.filter((r) => r.path === "/down")).toHaveLength(3);
  });

  it("records the event when Redis is unreachable, without waiting for it, and the sweeper sends it later", async () => {
    const { endpoint } = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/later") });
    // A producer on a port where nothing listens: every add fails.
    const deadRedis = createRedis("redis://127.0.0.1:1", "producer");
    deadRedis.on("error", () => {});
    const deadQueue = createWebhookQueue({ connection: deadRedis, prefix: testRedis.prefix });
    deadQueue.on("error", () => {});
    const offline = createWebhookEmitter({ db: database.db, queue: deadQueue, logger });
    const started = performance.now();
    await offline.emit({ workspaceId: workspace.id, type: "conversation.created", data: { botId: bot.id } });
    expect(performance.now() - started).toBeLessThan(500);
    const { listWebhookDeliveries } = await import("@docent/db/queries/webhooks");
    const [row] = (await listWebhookDeliveries(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, limit: 1, offset: 0 })).items;
    expect(row).toMatchObject({ status: "PENDING", attempts: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.filter((r) => r.path === "/later")).toHaveLength(0);

    // The sweeper picks up rows due for longer than one interval; make it look old.
    await database.sql`update webhook_deliveries set next_attempt_at = now() - interval '2 hours' where id = ${row!.id}`;
    expect(await worker.sweep()).toBeGreaterThanOrEqual(1);
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: row!.id });
    expect(settled.status).toBe("SUCCEEDED");
    expect(receiver.received.filter((r) => r.path === "/later")).toHaveLength(1);
    await deadQueue.close().catch(() => {});
    deadRedis.disconnect();
  });

  it("writes no delivery for endpoints that are disabled or not subscribed to the event", async () => {
    const disabled = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/off"), enabled: false });
    const other = await createEndpoint(database.db, { workspaceId: workspace.id, url: receiver.url("/other"), eventTypes: ["document.failed"] });
    const { deliveryIds } = await recordWebhookEvent(database.db, { workspaceId: workspace.id, type: "conversation.created", data: {} });
    const { listWebhookDeliveries } = await import("@docent/db/queries/webhooks");
    for (const endpoint of [disabled.endpoint, other.endpoint]) {
      expect((await listWebhookDeliveries(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, limit: 5, offset: 0 })).total).toBe(0);
    }
    expect(deliveryIds.length).toBeGreaterThan(0);
  });
});

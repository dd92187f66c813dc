/**
 * Webhook deliveries pass the address policy when each connection opens, with
 * ALLOW_PRIVATE_WEBHOOK_URLS off: an endpoint whose host resolves to a private or loopback
 * address now (DNS changed since it was saved: rebinding), or that is a loopback literal,
 * is never connected to; the delivery fails at once with the reason, without retries.
 */
import { listWebhookDeliveries } from "@docent/db/queries/webhooks";
import type { ResolvedAddress } from "@docent/outbound/resolve";
import { createRedis } from "@docent/queue/redis";
import { createWebhookQueue } from "@docent/queue/webhooks";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { logger } from "../../test/harness";
import { seedBot } from "../../test/seed";
import { createEndpoint, secretBox, startReceiver, waitForDelivery } from "../../test/webhooks";
import { createWebhookWorker } from "./webhook-worker";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const redis = createRedis(testRedis.url, "worker");
const { workspace } = await seedBot(database.db);
const receiver = await startReceiver();

/** `hooks.example.test` resolves to the receiver's loopback address: a name that turned private. */
const lookup = async (host: string): Promise<ResolvedAddress[]> => {
  if (host === "hooks.example.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "intranet.example.test") return [{ address: "10.20.30.40", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

const worker = createWebhookWorker({
  db: database.db,
  redis,
  queuePrefix: testRedis.prefix,
  logger,
  secretBox,
  concurrency: 2,
  timeoutMs: 2000,
  maxAttempts: 3,
  retryBaseMs: 40,
  sweepIntervalMs: 3600_000,
  // ALLOW_PRIVATE_WEBHOOK_URLS off: public addresses only.
  policy: { lookup },
  errorLogRetentionDays: 30,
  errorLogPruneIntervalMs: 3600_000,
});
await worker.start();
const producer = createRedis(testRedis.url, "producer");
const queue = createWebhookQueue({ connection: producer, prefix: testRedis.prefix });
const emitter = createWebhookEmitter({ db: database.db, queue, logger });

afterAll(async () => {
  await worker.close();
  await queue.close();
  producer.disconnect();
  redis.disconnect();
});

describe("webhook delivery address policy", () => {
  it.each([
    ["a host that resolves to loopback", `http://hooks.example.test:${receiver.port}/rebound`, /resolves to a private or internal network address \(127\.0\.0\.1\)/],
    ["a loopback literal", `http://127.0.0.1:${receiver.port}/literal`, /127\.0\.0\.1 is a private or internal network address/],
    ["a host that resolves to a private network", "http://intranet.example.test/hook", /10\.20\.30\.40/],
  ])("refuses %s at connect time, without retrying", async (_label, url, reason) => {
    const { endpoint } = await createEndpoint(database.db, { workspaceId: workspace.id, url });
    await emitter.emit({ workspaceId: workspace.id, type: "document.processed", data: { documentId: "d" } });
    const [row] = (await listWebhookDeliveries(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, limit: 1, offset: 0 })).items;
    const settled = await waitForDelivery(database.db, { workspaceId: workspace.id, endpointId: endpoint.id, deliveryId: row!.id });
    expect(settled).toMatchObject({ status: "FAILED", attempts: 1, responseStatus: null });
    expect(settled.lastError).toMatch(reason);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(0);
  });
});

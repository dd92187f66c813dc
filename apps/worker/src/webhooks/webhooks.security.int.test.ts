/**
 * Webhook deliveries pass the address policy when each connection opens, with
 * ALLOW_PRIVATE_WEBHOOK_URLS off: an endpoint whose host resolves to a private or loopback
 * address now (DNS changed since it was saved: rebinding), or that is a loopback literal,
 * is never connected to; the delivery fails at once with the reason, without retries.
 */
import { listWebhookDeliveries } from "@docent/db/queries/webhooks";
import type { ResolvedAddress } from "@docent/outbound/resolve";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { describe, expect, it } from "vitest";
import { seedBot } from "../../test/seed";
import { createEndpoint, startReceiver, startWebhookRig, waitForDelivery } from "../../test/webhooks";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const { workspace } = await seedBot(database.db);
const receiver = await startReceiver();

/** `hooks.example.test` resolves to the receiver's loopback address: a name that turned private. */
const lookup = async (host: string): Promise<ResolvedAddress[]> => {
  if (host === "hooks.example.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "intranet.example.test") return [{ address: "10.20.30.40", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

// ALLOW_PRIVATE_WEBHOOK_URLS off: public addresses only.
const { emitter } = await startWebhookRig({ db: database.db, testRedis, policy: { lookup }, concurrency: 2 });

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

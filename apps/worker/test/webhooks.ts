/**
 * Webhook test kit: a receiver (a real HTTP server on 127.0.0.1) whose answers a test
 * scripts and whose requests it keeps, an endpoint row with a sealed secret, a started
 * delivery worker with an emitter, and a polling wait for a delivery to settle.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@docent/db/client";
import { getWebhookDelivery, insertWebhookEndpoint, type WebhookDelivery } from "@docent/db/queries/webhooks";
import type { AddressPolicy } from "@docent/outbound/resolve";
import { createRedis } from "@docent/queue/redis";
import { createWebhookQueue } from "@docent/queue/webhooks";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { createWebhookEmitter, newWebhookSecret, webhookSecretAad } from "@docent/service-kit/webhooks";
import { afterAll } from "vitest";
import { createWebhookWorker } from "../src/webhooks/webhook-worker";
import { logger } from "./harness";

export const secretBox = createSecretBox(parseKeyRing(`t1:${randomBytes(32).toString("base64")}`));

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function startReceiver() {
  const received: ReceivedWebhook[] = [];
  /** Status codes to answer per path, in order; 200 once they run out. */
  const scripts = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = scripts.get(req.url ?? "/")?.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : `refused with ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const answer = (path: string, ...statuses: number[]) => scripts.set(path, statuses);
  return { received, answer, port, url: (path = "/hook") => `http://127.0.0.1:${port}${path}` };
}

export async function createEndpoint(db: Database, params: { workspaceId: string; url: string; eventTypes?: string[]; enabled?: boolean }) {
  const id = randomUUID();
  const { secret, hint } = newWebhookSecret();
  const row = await insertWebhookEndpoint(db, {
    id,
    workspaceId: params.workspaceId,
    createdBy: null,
    url: params.url,
    description: "",
    eventTypes: params.eventTypes ?? ["document.processed", "document.failed", "conversation.created", "message.rated", "handoff.requested"],
    enabled: params.enabled ?? true,
    secretCiphertext: secretBox.seal(secret, webhookSecretAad(params.workspaceId, id)),
    secretHint: hint,
  });
  return { endpoint: row, secret };
}

/**
 * A started delivery worker on the test Redis (3 attempts, 40 ms retry base; sweeps and
 * prunes only when a test calls them) and an emitter that queues to it; closed after the file.
 */
export async function startWebhookRig(params: {
  db: Database;
  testRedis: { url: string; prefix: string };
  policy: AddressPolicy;
  concurrency: number;
}) {
  const { db, testRedis } = params;
  const redis = createRedis(testRedis.url, "worker");
  const worker = createWebhookWorker({
    db,
    redis,
    queuePrefix: testRedis.prefix,
    logger,
    secretBox,
    concurrency: params.concurrency,
    timeoutMs: 2000,
    maxAttempts: 3,
    retryBaseMs: 40,
    sweepIntervalMs: 3600_000,
    policy: params.policy,
    errorLogRetentionDays: 30,
    errorLogPruneIntervalMs: 3600_000,
  });
  await worker.start();
  const producer = createRedis(testRedis.url, "producer");
  const queue = createWebhookQueue({ connection: producer, prefix: testRedis.prefix });
  const emitter = createWebhookEmitter({ db, queue, logger });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    producer.disconnect();
    redis.disconnect();
  });
  return { worker, emitter };
}

/** Polls until the delivery satisfies `until` (default: settled), or fails after `timeoutMs`. */
export async function waitForDelivery(
  db: Database,
  ref: { workspaceId: string; endpointId: string; deliveryId: string },
  until: (row: WebhookDelivery) => boolean = (row) => row.status !== "PENDING",
  timeoutMs = 15_000,
): Promise<WebhookDelivery> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await getWebhookDelivery(db, ref);
    if (row && until(row)) return row;
    if (Date.now() > deadline) throw new Error(`delivery ${ref.deliveryId} did not settle: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

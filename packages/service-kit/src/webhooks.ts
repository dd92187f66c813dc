/**
 * Emitting webhook events, shared by the API, the chat service and the worker, and the
 * signing scheme the delivery worker uses.
 *
 * `emit` writes the outbox rows (one per subscribed endpoint) and asks the queue to send
 * them without waiting: the caller's request is never slowed or failed by Redis, and a job
 * that could not be queued is found again by the worker's sweeper from the row. A failed
 * row write is logged at error level (the event is lost, but loudly) and never thrown.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Logger } from "@docent/config/logger";
import type { WebhookEventType } from "@docent/contracts/webhooks";
import type { Executor } from "@docent/db/client";
import { recordWebhookEvent } from "@docent/db/queries/webhooks";
import { enqueueWebhookDelivery, type WebhookQueue } from "@docent/queue/webhooks";

export const WEBHOOK_SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): { secret: string; hint: string } {
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hint: secret.slice(0, WEBHOOK_SECRET_PREFIX.length + 4) };
}

/** Associated data binding a sealed secret to its endpoint (a ciphertext copied elsewhere fails to open). */
export const webhookSecretAad = (workspaceId: string, endpointId: string) => `webhook_endpoints:${workspaceId}:${endpointId}`;

/** "v1=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>" with the timestamp in Unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (README "Webhooks"): recompute, compare in constant time, bound the age. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string; signature: string },
  body: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  return headers.signature
    .split(" ")
    .map((candidate) => Buffer.from(candidate))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}

/** A rating is worth a `message.rated` event when it is negative: thumbs down, or 1-2 stars. */
export function isNegativeRating(rating: { thumbs?: 1 | -1 | null; stars?: number | null }): boolean {
  if (typeof rating.stars === "number") return rating.stars <= 2;
  return rating.thumbs === -1;
}

export interface WebhookEmitter {
  /** Records the event for every subscribed endpoint and queues the sends; never throws. */
  emit(event: { workspaceId: string; type: WebhookEventType; data: Record<string, unknown> }): Promise<void>;
  /** A test event to one endpoint (enabled or not); returns the delivery id. Throws on a database error. */
  emitTest(params: { workspaceId: string; endpointId: string; data: Record<string, unknown> }): Promise<string | undefined>;
  /** Queues one attempt of an existing delivery row, without waiting. */
  enqueue(deliveryId: string, attempt?: number): void;
}

export function createWebhookEmitter(deps: { db: Executor; queue: WebhookQueue; logger: Logger }): WebhookEmitter {
  const { db, queue, logger } = deps;

  function enqueue(deliveryId: string, attempt = 1) {
    // Not awaited: with Redis down the row waits for the sweeper instead of the request.
    enqueueWebhookDelivery(queue, { deliveryId, attempt }).catch((error: unknown) =>
      logger.warn({ err: error, deliveryId }, "webhook delivery not queued; the sweeper will send it"),
    );
  }

  return {
    async emit(event) {
      try {
        const { eventId, deliveryIds } = await recordWebhookEvent(db, event);
        for (const id of deliveryIds) enqueue(id);
        if (deliveryIds.length > 0) logger.debug({ eventId, type: event.type, deliveries: deliveryIds.length }, "webhook event recorded");
      } catch (error) {
        logger.error({ err: error, type: event.type, workspaceId: event.workspaceId }, "webhook event could not be recorded; it is lost");
      }
    },
    async emitTest(params) {
      const { deliveryIds } = await recordWebhookEvent(db, {
        workspaceId: params.workspaceId,
        type: "webhook.test",
        data: params.data,
        endpointId: params.endpointId,
      });
      const id = deliveryIds[0];
      if (id) enqueue(id);
      return id;
    },
    enqueue,
  };
}

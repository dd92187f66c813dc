/**
 * One attempt of one webhook delivery: claim the outbox row, POST the signed event through
 * the guarded dispatcher (the address policy is applied when the connection opens, so a
 * host that resolves to a private address is refused even if it did not when saved), and
 * settle the row: SUCCEEDED on 2xx; PENDING with the next attempt queued after a network
 * error, a timeout, 5xx or 429; FAILED on any other answer, a refused address, or when the
 * last attempt is used.
 */
import type { Logger } from "@docent/config/logger";
import { WEBHOOK_HEADERS } from "@docent/contracts/webhooks";
import type { Database } from "@docent/db/client";
import { claimWebhookDelivery, settleWebhookDelivery } from "@docent/db/queries/webhooks";
import { findUnsafeAddressError } from "@docent/outbound/errors";
import type { SecretBox } from "@docent/service-kit/crypto/secrets";
import { signWebhook, webhookSecretAad } from "@docent/service-kit/webhooks";
import { enqueueWebhookDelivery, type WebhookQueue } from "@docent/queue/webhooks";

export const RESPONSE_EXCERPT_CHARS = 500;
/** Later waits grow 3x from WEBHOOK_RETRY_BASE_MS, up to this. */
const MAX_RETRY_DELAY_MS = 12 * 3600_000;

export interface DelivererOptions {
  db: Database;
  queue: WebhookQueue;
  secretBox: SecretBox | null;
  /** A fetch whose connections pass the address policy (createGuardedFetch). */
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  logger: Logger;
  userAgent?: string;
}

/** Wait after `attempt` failed (1-based): base, 3x base, 9x base... capped. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 3 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

type Outcome =
  | { kind: "delivered"; status: number; excerpt: string }
  | { kind: "retry"; status: number | null; excerpt: string | null; error: string | null }
  | { kind: "give-up"; status: number | null; excerpt: string | null; error: string | null };

/** The first characters of a response body, without reading more than a few KB of it. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < RESPONSE_EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short still leaves what was read.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, RESPONSE_EXCERPT_CHARS);
}

export function createDeliverer(options: DelivererOptions) {
  const { db, logger } = options;

  async function send(url: string, secret: string, eventId: string, eventType: string, body: string): Promise<Outcome> {
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": options.userAgent ?? "Docent-Webhooks/1.0",
          [WEBHOOK_HEADERS.id]: eventId,
          [WEBHOOK_HEADERS.type]: eventType,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
        },
        body,
      });
    } catch (error) {
      const unsafe = findUnsafeAddressError(error);
      if (unsafe) return { kind: "give-up", status: null, excerpt: null, error: unsafe.message };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      const message =
        name === "TimeoutError" || name === "AbortError"
          ? `No answer within ${options.timeoutMs} ms.`
          : `Connection failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
      return { kind: "retry", status: null, excerpt: null, error: message.slice(0, 500) };
    }
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) return { kind: "delivered", status: response.status, excerpt };
    if (response.status >= 500 || response.status === 429) {
      return { kind: "retry", status: response.status, excerpt, error: `The receiver answered ${response.status}.` };
    }
    const why = response.status >= 300 && response.status < 400 ? "redirects are not followed" : "not retried";
    return { kind: "give-up", status: response.status, excerpt, error: `The receiver answered ${response.status} (${why}).` };
  }

  /** Runs one attempt; returns what happened (for logs and tests). */
  async function deliver(deliveryId: string): Promise<"delivered" | "retry" | "failed" | "skipped"> {
    const claimed = await claimWebhookDelivery(db, deliveryId, options.timeoutMs + 60_000);
    if (!claimed) return "skipped";
    const { delivery, endpoint } = claimed;
    const log = logger.child({ deliveryId, endpointId: endpoint.id, eventType: delivery.eventType, attempt: delivery.attempts });
    const started = performance.now();
    let outcome: Outcome;
    if (!endpoint.enabled && delivery.eventType !== "webhook.test") {
      outcome = { kind: "give-up", status: null, excerpt: null, error: "The endpoint is disabled." };
    } else if (!options.secretBox) {
      outcome = { kind: "retry", status: null, excerpt: null, error: "This server cannot sign webhooks: DOCENT_ENCRYPTION_KEYS is not set." };
    } else {
      const secret = options.secretBox.open(endpoint.secretCiphertext, webhookSecretAad(endpoint.workspaceId, endpoint.id));
      outcome = await send(endpoint.url, secret, delivery.eventId, delivery.eventType, JSON.stringify(delivery.payload));
    }
    const durationMs = Math.round(performance.now() - started);
    const lastAttempt = delivery.attempts >= options.maxAttempts;
    const retry = outcome.kind === "retry" && !lastAttempt;
    const delayMs = retry ? retryDelayMs(delivery.attempts, options.retryBaseMs) : 0;
    await settleWebhookDelivery(db, deliveryId, {
      status: outcome.kind === "delivered" ? "SUCCEEDED" : retry ? "PENDING" : "FAILED",
      nextAttemptAt: retry ? new Date(Date.now() + delayMs) : null,
      responseStatus: outcome.status,
      responseExcerpt: outcome.excerpt,
      lastError:
        outcome.kind === "delivered"
          ? null
          : outcome.kind === "retry" && lastAttempt
            ? `${outcome.error ?? "Failed"} Gave up after ${delivery.attempts} attempts.`
            : outcome.error,
      durationMs,
    });
    if (retry) {
      // A little past the row's due time, so the attempt's claim (which compares with the
      // database clock) finds it due. If Redis refuses, the sweeper sends it later.
      await enqueueWebhookDelivery(options.queue, { deliveryId, attempt: delivery.attempts + 1, delayMs: delayMs + 50 }).catch(
        (error: unknown) => log.warn({ err: error }, "next webhook attempt not queued; the sweeper will send it"),
      );
      log.info({ status: outcome.status, error: outcome.kind === "retry" ? outcome.error : null, delayMs, durationMs }, "webhook attempt failed; retrying");
      return "retry";
    }
    if (outcome.kind === "delivered") {
      log.debug({ status: outcome.status, durationMs }, "webhook delivered");
      return "delivered";
    }
    log.warn({ status: outcome.status, error: outcome.error, durationMs }, "webhook delivery failed");
    return "failed";
  }

  return { deliver };
}

/**
 * Webhook endpoints of a workspace: create (secret shown once), list, update, rotate the
 * secret, delete; the delivery log, a test event and redelivery. A URL is checked against
 * the address policy when it is saved (private and loopback addresses only with
 * ALLOW_PRIVATE_WEBHOOK_URLS); the delivery worker checks it again on every connection.
 */
import { randomUUID } from "node:crypto";
import type { ErrorCode } from "@docent/contracts/errors";
import type { WebhookDeliveryDto, WebhookEndpointDto, WebhookEventType } from "@docent/contracts/webhooks";
import type { Database } from "@docent/db/client";
import {
  copyWebhookDelivery,
  deleteWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "@docent/db/queries/webhooks";
import type { WorkspaceAccess } from "@docent/http-kit/auth";
import { type HostLookup, resolveAllowedAddresses } from "@docent/outbound/resolve";
import { findHostResolutionError, findUnsafeAddressError } from "@docent/outbound/errors";
import type { SecretBox } from "@docent/service-kit/crypto/secrets";
import { AppError, NotFoundError, ServiceUnavailableError } from "@docent/service-kit/errors";
import { newWebhookSecret, webhookSecretAad, type WebhookEmitter } from "@docent/service-kit/webhooks";

const fail = (code: ErrorCode, message: string) => new AppError(message, { code, details: { field: "url" } });

export interface WebhookServiceDeps {
  db: Database;
  secretBox: SecretBox | null;
  emitter: WebhookEmitter;
  allowPrivateUrls: boolean;
  /** Only https URLs (production): signed payloads must not travel in clear text. */
  requireHttps: boolean;
  lookup?: HostLookup;
}

function endpointDto(row: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as WebhookEventType[],
    enabled: row.enabled,
    secretHint: row.secretHint,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function deliveryDto(row: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseExcerpt: row.responseExcerpt,
    lastError: row.lastError,
    durationMs: row.durationMs,
    nextAttemptAt: row.status === "PENDING" && row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function createWebhookService(deps: WebhookServiceDeps) {
  const { db, emitter } = deps;

  /** The URL as it will be stored; 400 naming the problem otherwise. */
  async function checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw fail("VALIDATION_FAILED", `"${raw.slice(0, 100)}" is not an absolute URL; give one like https://hooks.example.com/docent.`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw fail("UNSAFE_URL", "Webhook URLs must use https (or http).");
    if (deps.requireHttps && url.protocol !== "https:") throw fail("UNSAFE_URL", "Webhook URLs must use https.");
    if (url.username || url.password) throw fail("UNSAFE_URL", "URLs with a user name or password in them are not allowed.");
    url.hash = "";
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    try {
      await resolveAllowedAddresses(url.hostname, port, {
        allowPrivate: deps.allowPrivateUrls,
        ...(deps.lookup ? { lookup: deps.lookup } : {}),
      });
    } catch (error) {
      const unsafe = findUnsafeAddressError(error);
      if (unsafe) {
        throw fail(
          "UNSAFE_URL",
          deps.allowPrivateUrls
            ? unsafe.message
            : `${unsafe.message} An operator can set ALLOW_PRIVATE_WEBHOOK_URLS=true to send webhooks to a private network.`,
        );
      }
      if (findHostResolutionError(error)) throw fail("VALIDATION_FAILED", `The host ${url.hostname} could not be resolved.`);
      throw error;
    }
    return url.toString();
  }

  function seal(workspaceId: string, endpointId: string) {
    if (!deps.secretBox) {
      throw new ServiceUnavailableError("Webhooks need DOCENT_ENCRYPTION_KEYS on this server to keep signing secrets.");
    }
    const { secret, hint } = newWebhookSecret();
    return { secret, hint, ciphertext: deps.secretBox.seal(secret, webhookSecretAad(workspaceId, endpointId)) };
  }

  async function requireEndpoint(access: WorkspaceAccess, endpointId: string) {
    const row = await getWebhookEndpoint(db, access.workspaceId, endpointId);
    if (!row) throw new NotFoundError("Webhook endpoint");
    return row;
  }

  return {
    async list(access: WorkspaceAccess) {
      return (await listWebhookEndpoints(db, access.workspaceId)).map(endpointDto);
    },

    async get(access: WorkspaceAccess, endpointId: string) {
      return endpointDto(await requireEndpoint(access, endpointId));
    },

    async create(access: WorkspaceAccess, body: { url: string; description?: string; eventTypes: WebhookEventType[]; enabled?: boolean }) {
      const url = await checkUrl(body.url);
      const id = randomUUID();
      const sealed = seal(access.workspaceId, id);
      const row = await insertWebhookEndpoint(db, {
        id,
        workspaceId: access.workspaceId,
        createdBy: access.userId,
        url,
        description: body.description ?? "",
        eventTypes: body.eventTypes,
        enabled: body.enabled ?? true,
        secretCiphertext: sealed.ciphertext,
        secretHint: sealed.hint,
      });
      return { ...endpointDto(row), secret: sealed.secret };
    },

    async update(
      access: WorkspaceAccess,
      endpointId: string,
      body: { url?: string; description?: string; eventTypes?: WebhookEventType[]; enabled?: boolean },
    ) {
      await requireEndpoint(access, endpointId);
      const patch = { ...body, ...(body.url === undefined ? {} : { url: await checkUrl(body.url) }) };
      const row = await updateWebhookEndpoint(db, access.workspaceId, endpointId, patch);
      if (!row) throw new NotFoundError("Webhook endpoint");
      return endpointDto(row);
    },

    /** A new secret; the old one stops verifying at once. */
    async rotateSecret(access: WorkspaceAccess, endpointId: string) {
      await requireEndpoint(access, endpointId);
      const sealed = seal(access.workspaceId, endpointId);
      const row = await updateWebhookEndpoint(db, access.workspaceId, endpointId, {
        secretCiphertext: sealed.ciphertext,
        secretHint: sealed.hint,
      });
      if (!row) throw new NotFoundError("Webhook endpoint");
      return { ...endpointDto(row), secret: sealed.secret };
    },

    async remove(access: WorkspaceAccess, endpointId: string) {
      if (!(await deleteWebhookEndpoint(db, access.workspaceId, endpointId))) throw new NotFoundError("Webhook endpoint");
    },

    async deliveries(access: WorkspaceAccess, endpointId: string, query: { limit: number; offset: number; status?: DeliveryStatus }) {
      await requireEndpoint(access, endpointId);
      const page = await listWebhookDeliveries(db, { workspaceId: access.workspaceId, endpointId, ...query });
      return { items: page.items.map(deliveryDto), total: page.total };
    },

    async delivery(access: WorkspaceAccess, endpointId: string, deliveryId: string) {
      const row = await getWebhookDelivery(db, { workspaceId: access.workspaceId, endpointId, deliveryId });
      if (!row) throw new NotFoundError("Webhook delivery");
      return deliveryDto(row);
    },

    /** Sends a `webhook.test` event to this endpoint (even a disabled one). */
    async sendTest(access: WorkspaceAccess, endpointId: string) {
      await requireEndpoint(access, endpointId);
      const id = await emitter.emitTest({
        workspaceId: access.workspaceId,
        endpointId,
        data: { message: "A test event from Docent.", sentBy: access.userId },
      });
      const row = id ? await getWebhookDelivery(db, { workspaceId: access.workspaceId, endpointId, deliveryId: id }) : undefined;
      if (!row) throw new NotFoundError("Webhook endpoint");
      return deliveryDto(row);
    },

    /** The same event again, as a new delivery (its own attempts and log). */
    async redeliver(access: WorkspaceAccess, endpointId: string, deliveryId: string) {
      const original = await getWebhookDelivery(db, { workspaceId: access.workspaceId, endpointId, deliveryId });
      if (!original) throw new NotFoundError("Webhook delivery");
      const copy = await copyWebhookDelivery(db, original);
      emitter.enqueue(copy.id);
      return deliveryDto(copy);
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;

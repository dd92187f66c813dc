/**
 * Outgoing webhooks: endpoints per workspace, the events they can subscribe to, and the
 * delivery log. Each delivery is a POST of `webhookEventSchema` JSON signed as described
 * in README ("Webhooks"): `webhook-signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
import { z } from "zod";
import { nullableTimestamp, pageOf, timestamp, uuid } from "./common";
import { workspaceParamsSchema } from "./workspaces";

export const webhookEventTypes = [
  "document.processed",
  "document.failed",
  "conversation.created",
  "message.rated",
  "handoff.requested",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
/** Sent only by "send test event"; endpoints need not subscribe to it. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_HEADERS = {
  id: "webhook-id",
  type: "webhook-event",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

export const webhookEndpointParamsSchema = workspaceParamsSchema.extend({ endpointId: uuid });
export const webhookDeliveryParamsSchema = webhookEndpointParamsSchema.extend({ deliveryId: uuid });

const eventTypesField = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .max(webhookEventTypes.length)
  .refine((types) => new Set(types).size === types.length, "event types must not repeat");

export const webhookEndpointSchema = z
  .object({
    id: uuid,
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.enum(webhookEventTypes)),
    enabled: z.boolean(),
    secretHint: z.string().describe('The first characters of the signing secret, e.g. "whsec_AbCd".'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("WebhookEndpoint");
export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>;

/** The creation and rotation responses: the only ones that carry the secret. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe("Shown once; store it now to verify signatures.") })
  .describe("WebhookEndpointWithSecret");

export const createWebhookEndpointBodySchema = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(500).optional(),
  eventTypes: eventTypesField,
  enabled: z.boolean().optional(),
});

export const updateWebhookEndpointBodySchema = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).optional(),
    description: z.string().trim().max(500).optional(),
    eventTypes: eventTypesField.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change");

export const webhookDeliveryStatuses = ["PENDING", "SUCCEEDED", "FAILED"] as const;

export const webhookDeliverySchema = z
  .object({
    id: uuid,
    endpointId: uuid,
    eventId: uuid,
    eventType: z.string(),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    responseExcerpt: z.string().nullable(),
    lastError: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    nextAttemptAt: nullableTimestamp.describe("When the next attempt is due (PENDING only)."),
    lastAttemptAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .describe("WebhookDelivery");
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = pageOf(webhookDeliverySchema);

export const webhookDeliveryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(webhookDeliveryStatuses).optional(),
});

/** The JSON body of every delivery. */
export const webhookEventSchema = z
  .object({
    id: uuid.describe("The event id; the same for every endpoint and every retry (de-duplicate on it)."),
    type: z.string(),
    createdAt: timestamp,
    workspaceId: uuid,
    data: z.record(z.string(), z.unknown()),
  })
  .describe("WebhookEvent");
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

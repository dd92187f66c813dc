/**
 * /v1/workspaces/:workspaceId/webhooks: endpoints (secret shown at creation and rotation
 * only), their delivery log, a test event and redelivery. Workspace admins only, signed in
 * (keys never manage where a workspace's events go).
 */
import { listOf, noContent } from "@docent/contracts/common";
import {
  createWebhookEndpointBodySchema,
  updateWebhookEndpointBodySchema,
  webhookDeliveryPageSchema,
  webhookDeliveryParamsSchema,
  webhookDeliveryQuerySchema,
  webhookDeliverySchema,
  webhookEndpointParamsSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from "@docent/contracts/webhooks";
import { workspaceParamsSchema } from "@docent/contracts/workspaces";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";
import type { WebhookService } from "../services/webhook-service";

const tags = ["webhooks"];
const base = "/v1/workspaces/:workspaceId/webhooks";
const auth = { kind: "workspace", permission: "workspace:admin", sessionOnly: true } as const;

export function registerWebhookRoutes({ app }: RouteContext, webhooks: WebhookService) {
  app.get(
    base,
    {
      config: { auth },
      schema: {
        operationId: "listWebhookEndpoints",
        summary: "Webhook endpoints of the workspace",
        tags,
        params: workspaceParamsSchema,
        response: { 200: listOf(webhookEndpointSchema) },
      },
    },
    async (request) => ({ items: await webhooks.list(requireAccess(request)) }),
  );

  app.post(
    base,
    {
      config: { auth },
      schema: {
        operationId: "createWebhookEndpoint",
        summary: "Add an endpoint; the response is the only time its signing secret is shown",
        description:
          "The URL must resolve to public addresses (unless the operator set ALLOW_PRIVATE_WEBHOOK_URLS) and use https in production.",
        tags,
        params: workspaceParamsSchema,
        body: createWebhookEndpointBodySchema,
        response: { 201: webhookEndpointWithSecretSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await webhooks.create(requireAccess(request), request.body)),
  );

  app.get(
    `${base}/:endpointId`,
    {
      config: { auth },
      schema: { operationId: "getWebhookEndpoint", summary: "One endpoint", tags, params: webhookEndpointParamsSchema, response: { 200: webhookEndpointSchema } },
    },
    async (request) => webhooks.get(requireAccess(request), request.params.endpointId),
  );

  app.patch(
    `${base}/:endpointId`,
    {
      config: { auth },
      schema: {
        operationId: "updateWebhookEndpoint",
        summary: "Change an endpoint's URL, description, events or enabled flag",
        tags,
        params: webhookEndpointParamsSchema,
        body: updateWebhookEndpointBodySchema,
        response: { 200: webhookEndpointSchema },
      },
    },
    async (request) => webhooks.update(requireAccess(request), request.params.endpointId, request.body),
  );

  app.delete(
    `${base}/:endpointId`,
    {
      config: { auth },
      schema: {
        operationId: "deleteWebhookEndpoint",
        summary: "Delete an endpoint and its delivery log",
        tags,
        params: webhookEndpointParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await webhooks.remove(requireAccess(request), request.params.endpointId);
      return reply.status(204).send();
    },
  );

  app.post(
    `${base}/:endpointId/rotate-secret`,
    {
      config: { auth },
      schema: {
        operationId: "rotateWebhookSecret",
        summary: "Replace the signing secret; the old one stops at once and the new one is shown this once",
        tags,
        params: webhookEndpointParamsSchema,
        response: { 200: webhookEndpointWithSecretSchema },
      },
    },
    async (request) => webhooks.rotateSecret(requireAccess(request), request.params.endpointId),
  );

  app.post(
    `${base}/:endpointId/test`,
    {
      config: { auth },
      schema: {
        operationId: "sendWebhookTestEvent",
        summary: "Queue a `webhook.test` event to this endpoint",
        tags,
        params: webhookEndpointParamsSchema,
        response: { 202: webhookDeliverySchema },
      },
    },
    async (request, reply) => reply.status(202).send(await webhooks.sendTest(requireAccess(request), request.params.endpointId)),
  );

  app.get(
    `${base}/:endpointId/deliveries`,
    {
      config: { auth },
      schema: {
        operationId: "listWebhookDeliveries",
        summary: "The endpoint's deliveries, newest first: status, attempts, response code and excerpt, next retry",
        tags,
        params: webhookEndpointParamsSchema,
        querystring: webhookDeliveryQuerySchema,
        response: { 200: webhookDeliveryPageSchema },
      },
    },
    async (request) => webhooks.deliveries(requireAccess(request), request.params.endpointId, request.query),
  );

  app.get(
    `${base}/:endpointId/deliveries/:deliveryId`,
    {
      config: { auth },
      schema: { operationId: "getWebhookDelivery", summary: "One delivery", tags, params: webhookDeliveryParamsSchema, response: { 200: webhookDeliverySchema } },
    },
    async (request) => webhooks.delivery(requireAccess(request), request.params.endpointId, request.params.deliveryId),
  );

  app.post(
    `${base}/:endpointId/deliveries/:deliveryId/redeliver`,
    {
      config: { auth },
      schema: {
        operationId: "redeliverWebhook",
        summary: "Send the same event (same id and body) again, as a new delivery",
        tags,
        params: webhookDeliveryParamsSchema,
        response: { 202: webhookDeliverySchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await webhooks.redeliver(requireAccess(request), request.params.endpointId, request.params.deliveryId)),
  );
}

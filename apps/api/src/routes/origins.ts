/** /v1/workspaces/:workspaceId/bots/:botId/origins: sites allowed to embed the widget. */
import {
  addOriginBodySchema,
  allowedOriginSchema,
  botParamsSchema,
  errorResponseSchema,
  listOf,
  noContent,
  originParamsSchema,
} from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["origins"];
const base = "/v1/workspaces/:workspaceId/bots/:botId/origins";

export function registerOriginRoutes({ app, services }: RouteContext) {
  app.get(
    base,
    {
      config: { auth: { kind: "workspace", permission: "bots:read" } },
      schema: {
        operationId: "listOrigins",
        summary: "Origins allowed to embed the bot's widget",
        tags,
        params: botParamsSchema,
        response: { 200: listOf(allowedOriginSchema) },
      },
    },
    async (request) => ({ items: await services.bots.listOrigins(requireAccess(request), request.params.botId) }),
  );

  app.post(
    base,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "addOrigin",
        summary: "Allow an origin (normalised to scheme://host[:port]; wildcard only https://*.example.com)",
        tags,
        params: botParamsSchema,
        body: addOriginBodySchema,
        response: { 201: allowedOriginSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await services.bots.addOrigin(requireAccess(request), request.params.botId, request.body.origin)),
  );

  app.delete(
    `${base}/:originId`,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "removeOrigin",
        summary: "Stop allowing an origin",
        tags,
        params: originParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await services.bots.removeOrigin(requireAccess(request), request.params.botId, request.params.originId);
      return reply.status(204).send();
    },
  );
}

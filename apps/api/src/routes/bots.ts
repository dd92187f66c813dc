/** /v1/workspaces/:workspaceId/bots: bots CRUD (blank or from a template). */
import {
  botListItemSchema,
  botParamsSchema,
  botSchema,
  createBotBodySchema,
  errorResponseSchema,
  listOf,
  noContent,
  updateBotBodySchema,
  workspaceParamsSchema,
} from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["bots"];

export function registerBotRoutes({ app, services }: RouteContext) {
  app.get(
    "/v1/workspaces/:workspaceId/bots",
    {
      config: { auth: { kind: "workspace", permission: "bots:read" } },
      schema: {
        operationId: "listBots",
        summary: "Bots of the workspace with document and chunk counts (a bot-restricted key sees its bot only)",
        tags,
        params: workspaceParamsSchema,
        response: { 200: listOf(botListItemSchema) },
      },
    },
    async (request) => ({ items: await services.bots.list(requireAccess(request)) }),
  );

  app.post(
    "/v1/workspaces/:workspaceId/bots",
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "createBot",
        summary: "Create a bot, blank or from a template; counts against the plan's maxBots",
        tags,
        params: workspaceParamsSchema,
        body: createBotBodySchema,
        response: { 201: botSchema, 402: errorResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await services.bots.create(requireAccess(request), request.body)),
  );

  app.get(
    "/v1/workspaces/:workspaceId/bots/:botId",
    {
      config: { auth: { kind: "workspace", permission: "bots:read" } },
      schema: {
        operationId: "getBot",
        summary: "One bot",
        tags,
        params: botParamsSchema,
        response: { 200: botSchema },
      },
    },
    async (request) => services.bots.get(requireAccess(request), request.params.botId),
  );

  app.patch(
    "/v1/workspaces/:workspaceId/bots/:botId",
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "updateBot",
        summary: "Update a bot; ragConfig and modelSettings are merged with the current values",
        tags,
        params: botParamsSchema,
        body: updateBotBodySchema,
        response: { 200: botSchema, 402: errorResponseSchema },
      },
    },
    async (request) => services.bots.update(requireAccess(request), request.params.botId, request.body),
  );

  app.delete(
    "/v1/workspaces/:workspaceId/bots/:botId",
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "deleteBot",
        summary: "Delete a bot with its documents, prompts and conversations",
        tags,
        params: botParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await services.bots.remove(requireAccess(request), request.params.botId);
      return reply.status(204).send();
    },
  );
}

/** /v1/workspaces/:workspaceId/bots/:botId/prompts: versions, create, edit, activate, delete. */
import {
  botParamsSchema,
  createPromptBodySchema,
  errorResponseSchema,
  listOf,
  noContent,
  promptParamsSchema,
  promptSchema,
  updatePromptBodySchema,
} from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["prompts"];
const base = "/v1/workspaces/:workspaceId/bots/:botId/prompts";

export function registerPromptRoutes({ app, services }: RouteContext) {
  app.get(
    base,
    {
      config: { auth: { kind: "workspace", permission: "bots:read" } },
      schema: {
        operationId: "listPrompts",
        summary: "Prompt versions of a bot, newest first",
        tags,
        params: botParamsSchema,
        response: { 200: listOf(promptSchema) },
      },
    },
    async (request) => ({ items: await services.bots.listPrompts(requireAccess(request), request.params.botId) }),
  );

  app.post(
    base,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "createPrompt",
        summary: "Add a prompt version (optionally activating it)",
        tags,
        params: botParamsSchema,
        body: createPromptBodySchema,
        response: { 201: promptSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await services.bots.createPrompt(requireAccess(request), request.params.botId, request.body)),
  );

  app.patch(
    `${base}/:promptId`,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "updatePrompt",
        summary: "Edit a prompt's name or content",
        tags,
        params: promptParamsSchema,
        body: updatePromptBodySchema,
        response: { 200: promptSchema },
      },
    },
    async (request) =>
      services.bots.updatePrompt(requireAccess(request), request.params.botId, request.params.promptId, request.body),
  );

  app.post(
    `${base}/:promptId/activate`,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "activatePrompt",
        summary: "Make this the bot's only active prompt",
        tags,
        params: promptParamsSchema,
        response: { 200: promptSchema },
      },
    },
    async (request) => services.bots.activatePrompt(requireAccess(request), request.params.botId, request.params.promptId),
  );

  app.delete(
    `${base}/:promptId`,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "deletePrompt",
        summary: "Delete a prompt version that is not active",
        tags,
        params: promptParamsSchema,
        response: { 204: noContent, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await services.bots.deletePrompt(requireAccess(request), request.params.botId, request.params.promptId);
      return reply.status(204).send();
    },
  );
}

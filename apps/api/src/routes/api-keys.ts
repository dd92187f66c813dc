/** /v1/workspaces/:workspaceId/api-keys: create (secret shown once), list, revoke. */
import {
  apiKeyParamsSchema,
  apiKeySchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  listOf,
  workspaceParamsSchema,
} from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["api-keys"];
const base = "/v1/workspaces/:workspaceId/api-keys";
// Keys never manage keys: only signed-in OWNERs/ADMINs do.
const auth = { kind: "workspace", permission: "workspace:admin", sessionOnly: true } as const;

export function registerApiKeyRoutes({ app, services }: RouteContext) {
  app.get(
    base,
    {
      config: { auth },
      schema: {
        operationId: "listApiKeys",
        summary: "API keys of the workspace: prefix, name, scopes, last use, expiry",
        tags,
        params: workspaceParamsSchema,
        response: { 200: listOf(apiKeySchema) },
      },
    },
    async (request) => ({ items: await services.apiKeys.list(requireAccess(request)) }),
  );

  app.post(
    base,
    {
      config: { auth },
      schema: {
        operationId: "createApiKey",
        summary: "Create a key; the response is the only time the secret is shown",
        tags,
        params: workspaceParamsSchema,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await services.apiKeys.create(requireAccess(request), request.body)),
  );

  app.delete(
    `${base}/:apiKeyId`,
    {
      config: { auth },
      schema: {
        operationId: "revokeApiKey",
        summary: "Revoke a key; it stops working at once",
        tags,
        params: apiKeyParamsSchema,
        response: { 200: apiKeySchema },
      },
    },
    async (request) => services.apiKeys.revoke(requireAccess(request), request.params.apiKeyId),
  );
}

/** /v1/workspaces/:workspaceId/settings: model providers and BYOK keys (write-only). */
import { settingsSchema, updateSettingsBodySchema, workspaceParamsSchema } from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["settings"];
const path = "/v1/workspaces/:workspaceId/settings";

export function registerSettingsRoutes({ app, services }: RouteContext) {
  app.get(
    path,
    {
      config: { auth: { kind: "workspace", permission: "workspace:read", sessionOnly: true } },
      schema: {
        operationId: "getTenantSettings",
        summary: "LLM and embedding provider settings; keys appear only as hints",
        description:
          "Any member may read the providers, base URLs and models. API keys are never returned: `hasApiKey` says " +
          "whether one is stored, and `apiKeyHint` (like `sk-...abcd`) is shown only to OWNER and ADMIN, who may " +
          "change the keys; for a MEMBER it is null.",
        tags,
        params: workspaceParamsSchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const access = requireAccess(request);
      return services.settings.get(access.workspaceId, { canManage: access.permissions.has("workspace:admin") });
    },
  );

  app.patch(
    path,
    {
      config: { auth: { kind: "workspace", permission: "workspace:admin", sessionOnly: true } },
      schema: {
        operationId: "updateTenantSettings",
        summary: "Set providers, base URLs, models and API keys (encrypted at rest) (OWNER/ADMIN)",
        description:
          "Every provider but `openai` needs a `baseUrl`, and it must resolve to public addresses unless the operator " +
          "set ALLOW_PRIVATE_MODEL_URLS (cloud-metadata addresses are refused either way); 400 naming the field otherwise. " +
          "The chat service and the worker check the address again when they connect.",
        tags,
        params: workspaceParamsSchema,
        body: updateSettingsBodySchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => services.settings.update(requireAccess(request).workspaceId, request.body),
  );
}

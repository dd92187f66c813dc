/** /v1/workspaces/:workspaceId/settings: model providers and BYOK keys (write-only). */
import { settingsSchema, updateSettingsBodySchema, workspaceParamsSchema } from "@docent/contracts";
import { requireAccess } from "@docent/service-kit/auth";
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
        tags,
        params: workspaceParamsSchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => services.settings.get(requireAccess(request).workspaceId),
  );

  app.patch(
    path,
    {
      config: { auth: { kind: "workspace", permission: "workspace:admin", sessionOnly: true } },
      schema: {
        operationId: "updateTenantSettings",
        summary: "Set providers, base URLs, models and API keys (encrypted at rest) (OWNER/ADMIN)",
        tags,
        params: workspaceParamsSchema,
        body: updateSettingsBodySchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => services.settings.update(requireAccess(request).workspaceId, request.body),
  );
}

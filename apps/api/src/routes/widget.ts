/** /v1/workspaces/:workspaceId/bots/:botId/widget: the embeddable widget's appearance. */
import { botParamsSchema } from "@docent/contracts/bots";
import { updateWidgetBodySchema, widgetConfigSchema } from "@docent/contracts/widget";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["widget"];
const path = "/v1/workspaces/:workspaceId/bots/:botId/widget";

export function registerWidgetRoutes({ app, services }: RouteContext) {
  app.get(
    path,
    {
      config: { auth: { kind: "workspace", permission: "bots:read" } },
      schema: {
        operationId: "getWidgetConfig",
        summary: "The bot's widget configuration",
        tags,
        params: botParamsSchema,
        response: { 200: widgetConfigSchema },
      },
    },
    async (request) => services.bots.getWidget(requireAccess(request), request.params.botId),
  );

  app.patch(
    path,
    {
      config: { auth: { kind: "workspace", permission: "bots:write" } },
      schema: {
        operationId: "updateWidgetConfig",
        summary: "Change colours, texts, position, size, theme, source display or the fixed metadata filter",
        tags,
        params: botParamsSchema,
        body: updateWidgetBodySchema,
        response: { 200: widgetConfigSchema },
      },
    },
    async (request) => services.bots.updateWidget(requireAccess(request), request.params.botId, request.body),
  );
}

/** Plans (public), templates, and a workspace's usage against its plan. */
import { listOf } from "@docent/contracts/common";
import { planSchema, usageResponseSchema } from "@docent/contracts/plans";
import { templateSchema } from "@docent/contracts/templates";
import { dailyUsageQuerySchema, dailyUsageResponseSchema } from "@docent/contracts/usage";
import { workspaceParamsSchema } from "@docent/contracts/workspaces";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

export function registerCatalogRoutes({ app, services }: RouteContext) {
  app.get(
    "/v1/plans",
    {
      config: { auth: { kind: "public" } },
      schema: {
        operationId: "listPlans",
        summary: "Available plans and their limits",
        tags: ["plans"],
        response: { 200: listOf(planSchema) },
      },
    },
    async () => ({ items: await services.catalog.plans() }),
  );

  app.get(
    "/v1/templates",
    {
      config: { auth: { kind: "identity" } },
      schema: {
        operationId: "listTemplates",
        summary: "Bot templates with default RAG config, sample prompt and sample queries",
        tags: ["templates"],
        response: { 200: listOf(templateSchema) },
      },
    },
    async () => ({ items: await services.catalog.templates() }),
  );

  app.get(
    "/v1/workspaces/:workspaceId/usage",
    {
      config: { auth: { kind: "workspace", permission: "workspace:read" } },
      schema: {
        operationId: "getUsage",
        summary: "The workspace's plan and usage: bots, documents, storage, queries and jobs this month",
        tags: ["plans"],
        params: workspaceParamsSchema,
        response: { 200: usageResponseSchema },
      },
    },
    async (request) => services.catalog.usage(requireAccess(request).workspaceId),
  );

  app.get(
    "/v1/workspaces/:workspaceId/usage/daily",
    {
      config: { auth: { kind: "workspace", permission: "workspace:read" } },
      schema: {
        operationId: "getDailyUsage",
        summary: "Usage per bot, day and metric type (messages, API calls, documents and chunks embedded, tokens) over a date range",
        tags: ["plans"],
        params: workspaceParamsSchema,
        querystring: dailyUsageQuerySchema,
        response: { 200: dailyUsageResponseSchema },
      },
    },
    async (request) => services.catalog.dailyUsage(requireAccess(request), request.query),
  );
}

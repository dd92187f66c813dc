/** /v1/admin: platform administration (users.role = ADMIN only): workspaces, users, plans. */
import { adminPlanSchema, adminUserPageSchema, adminUserParamsSchema, adminWorkspacePageSchema, adminWorkspaceParamsSchema, createPlanBodySchema, planChangeResultSchema, planParamsSchema, setWorkspacePlanBodySchema, updatePlanBodySchema } from "@docent/contracts/admin";
import { errorResponseSchema, listOf, pageQuerySchema } from "@docent/contracts/common";
import { usageResponseSchema } from "@docent/contracts/plans";
import { userSchema } from "@docent/contracts/auth";
import { requireSession } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";
import { type ErrorLogDto, errorLogPageSchema, errorLogQuerySchema } from "@docent/contracts/error-logs";
import type { Database } from "@docent/db/client";
import { listErrorLogs } from "@docent/db/queries/error-logs";

const tags = ["admin"];
const auth = { kind: "session", platformAdmin: true } as const;

export function registerAdminRoutes({ app, services }: RouteContext) {
  app.get(
    "/v1/admin/workspaces",
    {
      config: { auth },
      schema: {
        operationId: "adminListWorkspaces",
        summary: "Every workspace with owner, member and bot counts",
        tags,
        querystring: pageQuerySchema,
        response: { 200: adminWorkspacePageSchema },
      },
    },
    async (request) => services.admin.workspaces(request.query),
  );

  app.get(
    "/v1/admin/users",
    {
      config: { auth },
      schema: {
        operationId: "adminListUsers",
        summary: "Every user (search by e-mail)",
        tags,
        querystring: pageQuerySchema,
        response: { 200: adminUserPageSchema },
      },
    },
    async (request) => services.admin.users(request.query),
  );

  for (const [action, suspended] of [["suspend", true], ["unsuspend", false]] as const) {
    app.post(
      `/v1/admin/users/:userId/${action}`,
      {
        config: { auth },
        schema: {
          operationId: suspended ? "adminSuspendUser" : "adminUnsuspendUser",
          summary: suspended ? "Suspend a user and end their sessions" : "Reinstate a suspended user",
          tags,
          params: adminUserParamsSchema,
          response: { 200: userSchema, 409: errorResponseSchema },
        },
      },
      async (request) => services.admin.setSuspended(requireSession(request).userId, request.params.userId, suspended),
    );
  }

  app.get(
    "/v1/admin/plans",
    {
      config: { auth },
      schema: {
        operationId: "adminListPlans",
        summary: "Every plan, offered or not, with how many workspaces are on it",
        tags,
        response: { 200: listOf(adminPlanSchema) },
      },
    },
    async () => services.admin.plans(),
  );

  app.post(
    "/v1/admin/plans",
    {
      config: { auth },
      schema: {
        operationId: "adminCreatePlan",
        summary: "Create a plan (null limits: no limit)",
        tags,
        body: createPlanBodySchema,
        response: { 201: adminPlanSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await services.admin.createPlan(request.body)),
  );

  app.patch(
    "/v1/admin/plans/:planId",
    {
      config: { auth },
      schema: {
        operationId: "adminUpdatePlan",
        summary: "Edit a plan's limits, texts, availability or default; lists the workspaces now over it",
        description:
          "Lowering a limit below what workspaces on the plan already use is allowed: they keep what they have, " +
          "new bots, documents, questions or searches past the limit are refused, and the answer lists them.",
        tags,
        params: planParamsSchema,
        body: updatePlanBodySchema,
        response: { 200: planChangeResultSchema, 409: errorResponseSchema },
      },
    },
    async (request) => services.admin.updatePlan(request.params.planId, request.body),
  );

  app.put(
    "/v1/admin/workspaces/:workspaceId/plan",
    {
      config: { auth },
      schema: {
        operationId: "adminSetWorkspacePlan",
        summary: "Move a workspace to a plan; answers its usage against the new plan",
        tags,
        params: adminWorkspaceParamsSchema,
        body: setWorkspacePlanBodySchema,
        response: { 200: usageResponseSchema },
      },
    },
    async (request) => services.admin.setWorkspacePlan(request.params.workspaceId, request.body.planId),
  );

  app.get(
    "/v1/admin/workspaces/:workspaceId/usage",
    {
      config: { auth },
      schema: {
        operationId: "adminGetWorkspaceUsage",
        summary: "A workspace's plan and usage, with what it uses more of than the plan allows",
        tags,
        params: adminWorkspaceParamsSchema,
        response: { 200: usageResponseSchema },
      },
    },
    async (request) => services.admin.workspaceUsage(request.params.workspaceId),
  );
}

/** GET /v1/admin/error-logs: the persisted error log of every service, newest first. */
export function registerErrorLogRoutes({ app }: RouteContext, db: Database) {
  app.get(
    "/v1/admin/error-logs",
    {
      config: { auth },
      schema: {
        operationId: "adminListErrorLogs",
        summary: "Server errors of the API, chat service and worker (5xx answers, failed jobs); filter by service, type, bot, workspace, dates",
        tags,
        querystring: errorLogQuerySchema,
        response: { 200: errorLogPageSchema },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      const page = await listErrorLogs(db, { ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) });
      return {
        total: page.total,
        items: page.items.map((row) => ({
          ...row,
          service: row.service as ErrorLogDto["service"],
          createdAt: row.createdAt.toISOString(),
        })),
      };
    },
  );
}

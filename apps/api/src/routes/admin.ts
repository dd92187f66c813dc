/** /v1/admin: platform administration (users.role = ADMIN only): workspaces, users, plans. */
import {
  adminPlanSchema,
  adminUserPageSchema,
  adminUserParamsSchema,
  adminWorkspacePageSchema,
  adminWorkspaceParamsSchema,
  createPlanBodySchema,
  errorResponseSchema,
  listOf,
  pageQuerySchema,
  planChangeResultSchema,
  planParamsSchema,
  setWorkspacePlanBodySchema,
  updatePlanBodySchema,
  usageResponseSchema,
  userSchema,
} from "@docent/contracts";
import { requireSession } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

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

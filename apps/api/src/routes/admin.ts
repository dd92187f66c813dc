/** /v1/admin: platform administration (users.role = ADMIN only). */
import {
  adminUserPageSchema,
  adminUserParamsSchema,
  adminWorkspacePageSchema,
  errorResponseSchema,
  pageQuerySchema,
  userSchema,
} from "@docent/contracts";
import { requireSession } from "@docent/service-kit/auth";
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
}

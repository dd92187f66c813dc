/**
 * /v1/workspaces/:workspaceId/members: list, change role, remove/leave. People join only by
 * accepting an invitation (routes/invitations.ts), never by being added.
 */
import {
  errorResponseSchema,
  listOf,
  memberParamsSchema,
  memberSchema,
  noContent,
  updateMemberBodySchema,
  workspaceParamsSchema,
} from "@docent/contracts";
import { requireAccess } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["members"];

export function registerMemberRoutes({ app, services }: RouteContext) {
  app.get(
    "/v1/workspaces/:workspaceId/members",
    {
      config: { auth: { kind: "workspace", permission: "workspace:read", sessionOnly: true } },
      schema: {
        operationId: "listMembers",
        summary: "Members of a workspace with their roles",
        tags,
        params: workspaceParamsSchema,
        response: { 200: listOf(memberSchema) },
      },
    },
    async (request) => ({ items: await services.workspaces.listMembers(requireAccess(request)) }),
  );

  app.patch(
    "/v1/workspaces/:workspaceId/members/:userId",
    {
      config: { auth: { kind: "workspace", permission: "workspace:admin", sessionOnly: true } },
      schema: {
        operationId: "updateMemberRole",
        summary: "Change a member's role; only OWNERs grant or take OWNER, and one OWNER must remain",
        tags,
        params: memberParamsSchema,
        body: updateMemberBodySchema,
        response: { 200: memberSchema, 409: errorResponseSchema },
      },
    },
    async (request) => services.workspaces.changeRole(requireAccess(request), request.params.userId, request.body.role),
  );

  app.delete(
    "/v1/workspaces/:workspaceId/members/:userId",
    {
      config: { auth: { kind: "workspace", permission: "workspace:read", sessionOnly: true } },
      schema: {
        operationId: "removeMember",
        summary: "Remove a member (OWNER/ADMIN) or leave (yourself); the last OWNER cannot leave",
        tags,
        params: memberParamsSchema,
        response: { 204: noContent, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await services.workspaces.removeMember(requireAccess(request), request.params.userId);
      return reply.status(204).send();
    },
  );
}

/** /v1/workspaces: the caller's workspaces; create, read, rename, delete. */
import {
  createWorkspaceBodySchema,
  errorResponseSchema,
  listOf,
  noContent,
  updateWorkspaceBodySchema,
  workspaceParamsSchema,
  workspaceSchema,
} from "@docent/contracts";
import { requireAccess, requireIdentity, requireSession } from "@docent/http-kit/auth";
import type { RouteContext } from "../context";

const tags = ["workspaces"];

export function registerWorkspaceRoutes({ app, services }: RouteContext) {
  app.get(
    "/v1/workspaces",
    {
      config: { auth: { kind: "identity" } },
      schema: {
        operationId: "listWorkspaces",
        summary: "Workspaces the caller belongs to (an API key sees its own)",
        tags,
        response: { 200: listOf(workspaceSchema) },
      },
    },
    async (request) => ({ items: await services.workspaces.list(requireIdentity(request)) }),
  );

  app.post(
    "/v1/workspaces",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "createWorkspace",
        summary: "Create a workspace (Free plan) with the caller as OWNER",
        tags,
        body: createWorkspaceBodySchema,
        response: { 201: workspaceSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await services.workspaces.create(requireSession(request).userId, request.body.name)),
  );

  app.get(
    "/v1/workspaces/:workspaceId",
    {
      config: { auth: { kind: "workspace", permission: "workspace:read" } },
      schema: {
        operationId: "getWorkspace",
        summary: "One workspace",
        tags,
        params: workspaceParamsSchema,
        response: { 200: workspaceSchema },
      },
    },
    async (request) => services.workspaces.get(requireAccess(request)),
  );

  app.patch(
    "/v1/workspaces/:workspaceId",
    {
      config: { auth: { kind: "workspace", permission: "workspace:admin", sessionOnly: true } },
      schema: {
        operationId: "updateWorkspace",
        summary: "Rename a workspace (OWNER/ADMIN)",
        tags,
        params: workspaceParamsSchema,
        body: updateWorkspaceBodySchema,
        response: { 200: workspaceSchema },
      },
    },
    async (request) => services.workspaces.rename(requireAccess(request), request.body.name),
  );

  app.delete(
    "/v1/workspaces/:workspaceId",
    {
      config: { auth: { kind: "workspace", permission: "workspace:admin", sessionOnly: true } },
      schema: {
        operationId: "deleteWorkspace",
        summary: "Delete a workspace and everything in it (OWNER; not the personal workspace)",
        tags,
        params: workspaceParamsSchema,
        response: { 204: noContent, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await services.workspaces.remove(requireAccess(request));
      return reply.status(204).send();
    },
  );
}

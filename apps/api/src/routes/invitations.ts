/**
 * Invitations. Under /v1/workspaces/:workspaceId/invitations OWNERs and ADMINs list,
 * create, resend and revoke them; /v1/invitations/preview and /accept are for the invitee
 * following the mailed link (tokens travel in bodies, never in URLs).
 */
import {
  acceptInvitationResponseSchema,
  createInvitationBodySchema,
  errorResponseSchema,
  invitationParamsSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenBodySchema,
  listOf,
  noContent,
  workspaceParamsSchema,
} from "@docent/contracts";
import { requireAccess, requireSession } from "@docent/http-kit/auth";
import { RateLimitedError } from "@docent/service-kit/errors";
import { clientAddressKey } from "@docent/http-kit/rate-limit";
import type { RouteContext } from "../context";

const tags = ["invitations"];
const admin = { auth: { kind: "workspace" as const, permission: "workspace:admin" as const, sessionOnly: true } };

export function registerInvitationRoutes({ app, env, services, mailQuota }: RouteContext) {
  const perIpLimit = { max: env.LOGIN_RATE_LIMIT_PER_IP, timeWindow: env.LOGIN_RATE_LIMIT_WINDOW_MS, keyGenerator: clientAddressKey };
  const tooManyMails = () => new RateLimitedError(3600, "Too many mails to this address; try again in an hour");

  app.get(
    "/v1/workspaces/:workspaceId/invitations",
    {
      config: admin,
      schema: {
        operationId: "listInvitations",
        summary: "Pending invitations of a workspace, expired ones included (OWNER/ADMIN)",
        tags,
        params: workspaceParamsSchema,
        response: { 200: listOf(invitationSchema) },
      },
    },
    async (request) => ({ items: await services.invitations.list(requireAccess(request)) }),
  );

  app.post(
    "/v1/workspaces/:workspaceId/invitations",
    {
      config: admin,
      schema: {
        operationId: "createInvitation",
        summary: "Invite an address with a role: it gets a link to accept (OWNER/ADMIN); re-inviting renews the link",
        tags,
        params: workspaceParamsSchema,
        body: createInvitationBodySchema,
        response: { 201: invitationSchema, 409: errorResponseSchema, 503: errorResponseSchema },
      },
    },
    async (request, reply) => {
      if (!(await mailQuota(request, request.body.email))) throw tooManyMails();
      return reply.status(201).send(await services.invitations.invite(requireAccess(request), request.body));
    },
  );

  app.post(
    "/v1/workspaces/:workspaceId/invitations/:invitationId/resend",
    {
      config: admin,
      schema: {
        operationId: "resendInvitation",
        summary: "Mail the invitation again with a new link and expiry (the old link stops working)",
        tags,
        params: invitationParamsSchema,
        response: { 200: invitationSchema, 503: errorResponseSchema },
      },
    },
    async (request) => {
      const access = requireAccess(request);
      const pending = (await services.invitations.list(access)).find((i) => i.id === request.params.invitationId);
      if (pending && !(await mailQuota(request, pending.email))) throw tooManyMails();
      return services.invitations.resend(access, request.params.invitationId);
    },
  );

  app.delete(
    "/v1/workspaces/:workspaceId/invitations/:invitationId",
    {
      config: admin,
      schema: {
        operationId: "revokeInvitation",
        summary: "Revoke a pending invitation: its link stops working",
        tags,
        params: invitationParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await services.invitations.revoke(requireAccess(request), request.params.invitationId);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/invitations/preview",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "previewInvitation",
        summary: "What an invitation link invites to (workspace, role, address), before accepting it",
        tags,
        body: invitationTokenBodySchema,
        response: { 200: invitationPreviewSchema },
      },
    },
    async (request) => services.invitations.preview(request.body.token),
  );

  app.post(
    "/v1/invitations/accept",
    {
      config: { auth: { kind: "session" }, rateLimit: perIpLimit },
      schema: {
        operationId: "acceptInvitation",
        summary: "Join the workspace of an invitation: signed in with the address it was sent to, verified",
        tags,
        body: invitationTokenBodySchema,
        response: { 200: acceptInvitationResponseSchema },
      },
    },
    async (request) => services.invitations.accept(requireSession(request).userId, request.body.token),
  );
}

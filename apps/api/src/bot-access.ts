/**
 * Authorisation for routes addressed by bot alone (`/v1/bots/:botId/...`, the documents
 * routes): such a route declares `config.auth: { kind: "identity" }` plus
 * `config.botPermission`. The bot's workspace is looked up and the caller must be a member
 * or key of it, as for `/workspaces/:workspaceId` routes: a bot the caller cannot see
 * (another tenant's, another bot of a bot-restricted key, or none) answers 404, a missing
 * permission 403.
 */
import type { Database } from "@docent/db/client";
import { getBotContext } from "@docent/db/queries/documents";
import {
  type Permission,
  requireIdentity,
  resolveWorkspaceAccess,
  type WorkspaceAccess,
} from "@docent/http-kit/auth";
import { ForbiddenError, NotFoundError } from "@docent/service-kit/errors";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on `/v1/bots/:botId/...` routes: the permission needed in the bot's workspace. */
    botPermission?: Permission;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function authorizeBot(
  db: Database,
  request: FastifyRequest,
  botId: string,
  permission: Permission,
): Promise<WorkspaceAccess> {
  const identity = requireIdentity(request);
  const bot = UUID.test(botId) ? await getBotContext(db, botId) : undefined;
  if (!bot) throw new NotFoundError("Bot");
  const access = await resolveWorkspaceAccess(db, identity, bot.workspaceId);
  if (!access || (access.botId && access.botId !== botId)) throw new NotFoundError("Bot");
  if (!access.permissions.has(permission)) {
    throw new ForbiddenError(
      access.apiKeyId
        ? `This API key lacks the "${permission}" scope`
        : `Your role (${access.role}) does not allow this; "${permission}" is needed`,
      { details: { permission } },
    );
  }
  return access;
}

/** Adds the bot check, before the handler, to every route that declares `botPermission`. */
export function registerBotAccess(app: FastifyInstance, { db }: { db: Database }): void {
  app.addHook("onRoute", (route) => {
    const permission = route.config?.botPermission;
    if (!permission) return;
    if (route.config?.auth?.kind !== "identity" || !route.url.includes(":botId")) {
      throw new Error(`route ${route.url}: botPermission needs auth kind "identity" and a :botId parameter`);
    }
    const preHandler = async (request: FastifyRequest) => {
      const { botId } = request.params as { botId: string };
      request.access = await authorizeBot(db, request, botId, permission);
    };
    route.preHandler = [preHandler, ...([] as unknown[]).concat(route.preHandler ?? [])] as typeof route.preHandler;
  });
}

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
import type { Permission, WorkspaceAccess } from "@docent/http-kit/auth";
import { authorizeBot as authorizeBotAccess } from "@docent/http-kit/auth/bot-access";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on `/v1/bots/:botId/...` routes: the permission needed in the bot's workspace. */
    botPermission?: Permission;
  }
}

/** The caller's access to the bot's workspace (404 / 403 as described above). */
export async function authorizeBot(db: Database, request: FastifyRequest, botId: string, permission: Permission): Promise<WorkspaceAccess> {
  return (await authorizeBotAccess(db, request, botId, permission, getBotContext)).access;
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

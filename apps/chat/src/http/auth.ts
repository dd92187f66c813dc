/**
 * Bot-level authorisation on top of service-kit's authentication (session cookie with
 * CSRF, or `Authorization: Bearer dk_live_...`). Chat routes address a bot, not a
 * workspace, so the bot's workspace decides: membership or the key's workspace, the
 * permission, and an API key's bot restriction. A bot the caller cannot see reads as
 * "not found".
 */
import type { Database } from "@docent/db/client";
import type { Bot } from "@docent/db/queries/bots";
import { getBotById } from "@docent/db/queries/chat-bots";
import { type Permission, requireIdentity, resolveWorkspaceAccess, type WorkspaceAccess } from "@docent/http-kit/auth";
import { ForbiddenError, NotFoundError } from "@docent/service-kit/errors";
import type { FastifyRequest } from "fastify";

export interface BotAccess {
  bot: Bot;
  access: WorkspaceAccess;
}

export function createBotAuthorizer(db: Database) {
  return async function authorizeBot(request: FastifyRequest, botId: string, permission: Permission): Promise<BotAccess> {
    const identity = requireIdentity(request);
    if (identity.kind === "apiKey" && identity.botId && identity.botId !== botId) throw new NotFoundError("Bot");
    const bot = await getBotById(db, botId);
    if (!bot) throw new NotFoundError("Bot");
    const access = await resolveWorkspaceAccess(db, identity, bot.workspaceId);
    if (!access) throw new NotFoundError("Bot");
    if (!access.permissions.has(permission)) {
      throw new ForbiddenError(
        access.apiKeyId ? `This API key lacks the "${permission}" scope` : `Your role does not allow this; "${permission}" is needed`,
        { details: { permission } },
      );
    }
    return { bot, access };
  };
}

export type AuthorizeBot = ReturnType<typeof createBotAuthorizer>;

/** The actor stored with a conversation and its query logs. */
export const actorOf = (access: WorkspaceAccess, sessionId?: string | null) =>
  access.userId ? { userId: access.userId } : { apiKeyId: access.apiKeyId, visitorId: sessionId ?? null };

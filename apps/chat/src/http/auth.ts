/**
 * Bot-level authorisation on top of http-kit's authentication (session cookie with
 * CSRF, or `Authorization: Bearer dk_live_...`): chat routes address a bot, not a
 * workspace, and http-kit's `authorizeBot` (shared with the API's documents routes) lets
 * the bot's workspace decide. A bot the caller cannot see reads as "not found".
 */
import type { Database } from "@docent/db/client";
import type { Bot } from "@docent/db/queries/bots";
import { getBotById } from "@docent/db/queries/chat-bots";
import type { Permission, WorkspaceAccess } from "@docent/http-kit/auth";
import { authorizeBot } from "@docent/http-kit/auth/bot-access";
import type { FastifyRequest } from "fastify";

export interface BotAccess {
  bot: Bot;
  access: WorkspaceAccess;
}

export function createBotAuthorizer(db: Database) {
  return (request: FastifyRequest, botId: string, permission: Permission): Promise<BotAccess> =>
    authorizeBot(db, request, botId, permission, getBotById);
}

export type AuthorizeBot = ReturnType<typeof createBotAuthorizer>;

/** The actor stored with a conversation and its query logs. */
export const actorOf = (access: WorkspaceAccess, sessionId?: string | null) =>
  access.userId ? { userId: access.userId } : { apiKeyId: access.apiKeyId, visitorId: sessionId ?? null };

/**
 * Authorisation of routes addressed by a bot alone (`/v1/bots/:botId/...`), in the API
 * (documents) and in chat (chat, retrieval, conversations, analytics, evaluations): the
 * bot's workspace decides, as for `/workspaces/:workspaceId` routes. A bot the caller
 * cannot see (another tenant's, another bot of a bot-restricted key, a malformed id, none)
 * answers 404, so its existence is never revealed; a missing permission answers 403.
 */
import type { Database } from "@docent/db/client";
import { NotFoundError } from "@docent/service-kit/errors";
import type { FastifyRequest } from "fastify";
import { requireIdentity, resolveWorkspaceAccess } from "./index";
import { missingPermission } from "./missing-permission";
import type { Permission, WorkspaceAccess } from "./principal";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The bot (as `loadBot` reads it: each service reads the columns it needs) and the
 * caller's access to its workspace, or NotFoundError / ForbiddenError.
 */
export async function authorizeBot<Bot extends { workspaceId: string }>(
  db: Database,
  request: FastifyRequest,
  botId: string,
  permission: Permission,
  loadBot: (db: Database, botId: string) => Promise<Bot | undefined>,
): Promise<{ bot: Bot; access: WorkspaceAccess }> {
  const identity = requireIdentity(request);
  if (identity.kind === "apiKey" && identity.botId && identity.botId !== botId) throw new NotFoundError("Bot");
  const bot = UUID.test(botId) ? await loadBot(db, botId) : undefined;
  if (!bot) throw new NotFoundError("Bot");
  const access = await resolveWorkspaceAccess(db, identity, bot.workspaceId);
  if (!access || (access.botId && access.botId !== botId)) throw new NotFoundError("Bot");
  if (!access.permissions.has(permission)) throw missingPermission(access, permission);
  return { bot, access };
}

/**
 * Authentication and authorisation for Fastify services. Every route declares
 * `config.auth` (see `RouteAuth`); a route without one fails at registration, so nothing
 * is accidentally public. Callers authenticate with the session cookie or with
 * `Authorization: Bearer dk_live_...`; workspace routes then check membership (404 when
 * the caller cannot see the workspace), the permission (403), and an API key's bot
 * restriction (404 for other bots).
 */
import type { Database } from "@docent/db/client";
import { findUsableApiKey, touchApiKey } from "@docent/db/queries/api-keys";
import { getMembership } from "@docent/db/queries/members";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { looksLikeApiKey, sha256Hex } from "@docent/service-kit/crypto/tokens";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "@docent/service-kit/errors";
import { CSRF_HEADER, csrfTokenMatches, isSafeMethod } from "./csrf";
import { missingPermission } from "./missing-permission";
import {
  type Identity,
  type Permission,
  type RouteAuth,
  type WorkspaceAccess,
  accessForApiKey,
  accessForMember,
  rolePermissions,
} from "./principal";
import type { SessionIdentity, SessionManager } from "./sessions";

export * from "./principal";
export * from "./sessions";
export * from "./browser-binding";
export { CSRF_HEADER, csrfTokenFor } from "./csrf";

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    identity: Identity | null;
    access: WorkspaceAccess | null;
  }
}

export interface AuthOptions {
  db: Database;
  sessions: SessionManager;
  /** URL prefixes of routes registered by plugins (docs UI, OpenAPI) that are public. */
  publicPrefixes?: string[];
}

/** Read-only permissions a bot-restricted key may use on workspace-level routes. */
const READ_PERMISSIONS = new Set<Permission>(["bots:read", "analytics:read", "workspace:read"]);

export async function identifyApiKey(db: Database, header: string): Promise<Identity> {
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new UnauthorizedError("Authorization header must be \"Bearer <API key>\"");
  const secret = match[1]!;
  const key = looksLikeApiKey(secret) ? await findUsableApiKey(db, sha256Hex(secret)) : undefined;
  if (!key) throw new UnauthorizedError("Invalid, revoked or expired API key", { code: "INVALID_API_KEY" });
  // A key acts for the user who created it: it stops with their suspension or removal
  // from the workspace, and never does more than their current role allows.
  let scopes = key.scopes;
  if (key.createdBy) {
    const role = key.creator?.status === "ACTIVE" ? key.creator.role : null;
    if (!role) {
      throw new UnauthorizedError(
        "This API key no longer works: the user who created it is suspended or no longer a member of its workspace",
        { code: "API_KEY_OWNER_INACTIVE" },
      );
    }
    const allowed = new Set<string>(rolePermissions[role]);
    scopes = key.scopes.filter((scope) => allowed.has(scope));
  }
  await touchApiKey(db, key);
  return {
    kind: "apiKey",
    apiKeyId: key.id,
    workspaceId: key.workspaceId,
    scopes,
    botId: key.botId,
    createdBy: key.createdBy,
  };
}

const verifiedKeys = new WeakMap<FastifyRequest, Promise<Identity>>();

/**
 * The request's API key, verified once per request: the rate limiter (which must know a
 * key is real before giving it a bucket of its own) and authentication share the answer.
 * Rejects with UnauthorizedError when the header is not a usable key.
 */
export function verifyRequestApiKey(db: Database, request: FastifyRequest): Promise<Identity> {
  let verified = verifiedKeys.get(request);
  if (!verified) {
    verified = identifyApiKey(db, request.headers.authorization ?? "");
    verifiedKeys.set(request, verified);
  }
  return verified;
}

/** Resolves the caller's access to a workspace; null when they cannot see it. */
export async function resolveWorkspaceAccess(
  db: Database,
  identity: Identity,
  workspaceId: string,
): Promise<WorkspaceAccess | null> {
  if (identity.kind === "apiKey") {
    return identity.workspaceId === workspaceId ? accessForApiKey(identity) : null;
  }
  const membership = await getMembership(db, { workspaceId, userId: identity.userId });
  return membership ? accessForMember(workspaceId, identity.userId, membership.role) : null;
}

const sessionRequired = () =>
  new ForbiddenError("This endpoint needs a signed-in user; API keys cannot use it", { code: "SESSION_REQUIRED" });

export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  const publicPrefixes = options.publicPrefixes ?? [];
  app.decorateRequest("identity", null);
  app.decorateRequest("access", null);

  async function authenticate(request: FastifyRequest, auth: RouteAuth): Promise<void> {
    if (auth.kind === "public") return;
    const header = request.headers.authorization;
    let identity: Identity | null;
    if (header !== undefined) {
      identity = await verifyRequestApiKey(options.db, request);
    } else {
      identity = await options.sessions.identify(request);
      if (identity && !isSafeMethod(request.method) && !csrfTokenMatches(identity.csrfToken, request.headers[CSRF_HEADER])) {
        throw new ForbiddenError(`Missing or invalid ${CSRF_HEADER} header`, { code: "CSRF_FAILED" });
      }
    }
    if (!identity) throw new UnauthorizedError();
    if (auth.kind === "session") {
      if (identity.kind !== "session") throw sessionRequired();
      if (auth.platformAdmin && identity.platformRole !== "ADMIN") {
        throw new ForbiddenError("Platform administrators only");
      }
    }
    request.identity = identity;
  }

  async function authorizeWorkspace(request: FastifyRequest, auth: Extract<RouteAuth, { kind: "workspace" }>) {
    const params = request.params as { workspaceId?: string; botId?: string };
    if (!params.workspaceId) throw new Error(`workspace route ${request.routeOptions.url} lacks :workspaceId`);
    const access = await resolveWorkspaceAccess(options.db, request.identity!, params.workspaceId);
    if (!access) throw new NotFoundError("Workspace");
    // Checked after visibility, so another tenant's workspace answers 404 to keys too.
    if (auth.sessionOnly && request.identity!.kind !== "session") throw sessionRequired();
    if (access.botId) {
      if (params.botId && params.botId !== access.botId) throw new NotFoundError("Bot");
      if (!params.botId && !READ_PERMISSIONS.has(auth.permission)) {
        throw new ForbiddenError("This API key is restricted to one bot");
      }
    }
    if (!access.permissions.has(auth.permission)) throw missingPermission(access, auth.permission);
    request.access = access;
  }

  app.addHook("onRoute", (route) => {
    const auth = route.config?.auth;
    if (!auth) {
      if (publicPrefixes.some((p) => route.url.startsWith(p))) return;
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.auth`);
    }
    const onRequest = async (request: FastifyRequest) => authenticate(request, auth);
    route.onRequest = [...toArray(route.onRequest), onRequest] as typeof route.onRequest;
    if (auth.kind === "workspace") {
      const preHandler = async (request: FastifyRequest) => authorizeWorkspace(request, auth);
      route.preHandler = [preHandler, ...toArray(route.preHandler)] as typeof route.preHandler;
    }
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The signed-in user of a `session` route (or a session-authenticated request). */
export function requireSession(request: FastifyRequest): SessionIdentity {
  const identity = request.identity;
  if (!identity || identity.kind !== "session") throw new UnauthorizedError();
  return identity;
}

export function requireIdentity(request: FastifyRequest): Identity {
  if (!request.identity) throw new UnauthorizedError();
  return request.identity;
}

/** The resolved access of a `workspace` route. */
export function requireAccess(request: FastifyRequest): WorkspaceAccess {
  if (!request.access) throw new UnauthorizedError();
  return request.access;
}

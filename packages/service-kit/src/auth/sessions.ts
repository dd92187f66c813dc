/**
 * Cookie sessions: a random token in an httpOnly, SameSite=Lax cookie (Secure in
 * production); the database keeps only its SHA-256. Sessions slide: activity more than
 * `touchIntervalMs` after the last one extends the expiry.
 */
import type {} from "@fastify/cookie";
import type { Database } from "@docent/db/client";
import { createSession, deleteSession, findActiveSession, touchSession } from "@docent/db/queries/sessions";
import type { FastifyReply, FastifyRequest } from "fastify";
import { newSessionToken, sha256Hex } from "../crypto/tokens";
import { ForbiddenError } from "../errors";
import { csrfTokenFor } from "./csrf";
import type { Identity } from "./principal";

export interface SessionOptions {
  db: Database;
  cookieName?: string;
  ttlMs?: number;
  /** Secure cookies: true in production (HTTPS). */
  secureCookies: boolean;
  touchIntervalMs?: number;
}

export type SessionIdentity = Extract<Identity, { kind: "session" }>;

export function createSessionManager(options: SessionOptions) {
  const cookieName = options.cookieName ?? "docent_session";
  const ttlMs = options.ttlMs ?? 30 * 24 * 3600 * 1000;
  const touchIntervalMs = options.touchIntervalMs ?? 10 * 60 * 1000;
  const cookieOptions = {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: options.secureCookies,
  };

  return {
    cookieName,

    /** Creates a session for the user, sets the cookie, returns the CSRF token. */
    async start(
      request: FastifyRequest,
      reply: FastifyReply,
      userId: string,
    ): Promise<{ csrfToken: string; sessionId: string }> {
      const token = newSessionToken();
      const expiresAt = new Date(Date.now() + ttlMs);
      const session = await createSession(options.db, {
        userId,
        tokenHash: sha256Hex(token),
        expiresAt,
        ipAddress: request.ip,
        userAgent: request.headers["user-agent"] ?? null,
      });
      reply.setCookie(cookieName, token, { ...cookieOptions, expires: expiresAt });
      return { csrfToken: csrfTokenFor(token), sessionId: session.id };
    },

    async end(reply: FastifyReply, identity: SessionIdentity): Promise<void> {
      await deleteSession(options.db, identity.sessionId);
      reply.clearCookie(cookieName, cookieOptions);
    },

    clearCookie(reply: FastifyReply) {
      reply.clearCookie(cookieName, cookieOptions);
    },

    /** The session identity of the request's cookie, or null when absent or expired. */
    async identify(request: FastifyRequest): Promise<SessionIdentity | null> {
      const token = request.cookies?.[cookieName];
      if (!token || token.length > 200) return null;
      const now = new Date();
      const found = await findActiveSession(options.db, sha256Hex(token), now);
      if (!found) return null;
      if (found.user.status === "SUSPENDED") {
        throw new ForbiddenError("This account is suspended", { code: "ACCOUNT_SUSPENDED" });
      }
      if (now.getTime() - found.session.lastSeenAt.getTime() > touchIntervalMs) {
        await touchSession(options.db, found.session.id, {
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + ttlMs),
        });
      }
      return {
        kind: "session",
        userId: found.user.id,
        email: found.user.email,
        platformRole: found.user.role,
        sessionId: found.session.id,
        csrfToken: csrfTokenFor(token),
      };
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;

/**
 * Cookie sessions: a random token in an httpOnly, SameSite=Lax cookie (Secure in
 * production); the database keeps only its SHA-256. Sessions slide: activity more than
 * `touchIntervalMs` after the last one extends the expiry.
 */
import type {} from "@fastify/cookie";
import type { Database } from "@docent/db/client";
import { createSession, deleteSession, findActiveSession, touchSession } from "@docent/db/queries/sessions";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { newSessionToken, sha256Hex } from "@docent/service-kit/crypto/tokens";
import { ForbiddenError } from "@docent/service-kit/errors";
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

/**
 * The session settings every service that reads the session cookie takes from the same
 * variables (the API sets the cookie; chat reads and slides it), so an operator's name,
 * lifetime or Secure flag holds in both.
 */
export const sessionEnvFields = {
  SESSION_COOKIE_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("docent_session"),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  /** Secure cookies; defaults to true when NODE_ENV=production. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
};

type SessionEnv = { NODE_ENV: string; SESSION_COOKIE_NAME: string; SESSION_TTL_DAYS: number; COOKIE_SECURE?: "true" | "false" };

export const cookieSecure = (env: Pick<SessionEnv, "NODE_ENV" | "COOKIE_SECURE">) =>
  env.COOKIE_SECURE ? env.COOKIE_SECURE === "true" : env.NODE_ENV === "production";

/** `createSessionManager`'s options from the `sessionEnvFields` settings. */
export const sessionOptionsFromEnv = (env: SessionEnv) => ({
  cookieName: env.SESSION_COOKIE_NAME,
  ttlMs: env.SESSION_TTL_DAYS * 24 * 3600 * 1000,
  secureCookies: cookieSecure(env),
});

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

/**
 * Ties a multi-step browser flow (a sign-in that leaves for an identity provider and
 * comes back) to the browser that started it: a random value in a short-lived httpOnly
 * cookie, of which the server stores only the SHA-256. An answer that arrives in another
 * browser (a login CSRF: someone else's authorization response planted in yours) does not
 * carry the cookie, so it matches nothing. SameSite=Lax: the cookie still comes along on
 * the top-level navigation back from the provider.
 */
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { newSessionToken, sha256Hex } from "@docent/service-kit/crypto/tokens";

export interface BrowserBindingOptions {
  cookieName: string;
  /** Secure cookies (HTTPS). */
  secureCookies: boolean;
  ttlSeconds: number;
}

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

export function createBrowserBinding(options: BrowserBindingOptions) {
  const cookieOptions = { path: "/", httpOnly: true, sameSite: "lax" as const, secure: options.secureCookies };
  return {
    cookieName: options.cookieName,

    /** The hash of this browser's binding, or null when it has none. */
    read(request: FastifyRequest): string | null {
      const value = request.cookies?.[options.cookieName];
      return value && WELL_FORMED.test(value) ? sha256Hex(value) : null;
    },

    /**
     * The browser's binding hash, creating the cookie if it has none; either way the
     * cookie lives another `ttlSeconds`. Several flows in one browser (tabs) share it.
     */
    ensure(request: FastifyRequest, reply: FastifyReply): string {
      const existing = request.cookies?.[options.cookieName];
      const value = existing && WELL_FORMED.test(existing) ? existing : newSessionToken();
      reply.setCookie(options.cookieName, value, { ...cookieOptions, maxAge: options.ttlSeconds });
      return sha256Hex(value);
    },

    clear(reply: FastifyReply): void {
      reply.clearCookie(options.cookieName, cookieOptions);
    },
  };
}

export type BrowserBinding = ReturnType<typeof createBrowserBinding>;

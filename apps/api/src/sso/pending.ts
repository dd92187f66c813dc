/**
 * Sign-ins between leaving for the provider and coming back, kept in Redis for ten
 * minutes: the PKCE verifier, nonce and return path never leave the server, and the
 * browser holds only the random `state` (in the provider's redirect) and a binding cookie.
 * A pending sign-in is taken with GETDEL, so it works once: a replayed answer finds
 * nothing.
 *
 * A provider login whose verified address matches an existing account is not linked on
 * the spot: it waits here (keyed by the browser's binding) for the account's owner to sign
 * in and confirm.
 */
import { sha256Hex } from "@docent/service-kit/crypto/tokens";
import type { Redis } from "ioredis";
import type { ProviderIdentity } from "./types";

export const PENDING_TTL_SECONDS = 600;

export interface PendingLogin {
  /** Provider id ("keycloak", "github"). */
  provider: string;
  /** SHA-256 of the binding cookie of the browser that started it. */
  binding: string;
  codeVerifier: string;
  nonce: string;
  /** `link`: add the login to `userId`'s account instead of signing in. */
  intent: "login" | "link";
  userId: string | null;
  /** An admin-app path to land on afterwards. */
  returnTo: string | null;
}

export interface PendingLink {
  provider: string;
  identity: ProviderIdentity;
}

export function createPendingStore(redis: Redis, prefix: string) {
  const loginKey = (state: string) => `${prefix}sso:login:${sha256Hex(state)}`;
  const linkKey = (binding: string) => `${prefix}sso:link:${binding}`;
  const parse = <T>(raw: string | null): T | null => (raw === null ? null : (JSON.parse(raw) as T));

  return {
    async saveLogin(state: string, pending: PendingLogin): Promise<void> {
      await redis.set(loginKey(state), JSON.stringify(pending), "EX", PENDING_TTL_SECONDS);
    },
    /** The pending sign-in of `state`, removed in the same step (single use). */
    async takeLogin(state: string): Promise<PendingLogin | null> {
      return parse<PendingLogin>(await redis.getdel(loginKey(state)));
    },
    async saveLink(binding: string, link: PendingLink): Promise<void> {
      await redis.set(linkKey(binding), JSON.stringify(link), "EX", PENDING_TTL_SECONDS);
    },
    async peekLink(binding: string): Promise<PendingLink | null> {
      return parse<PendingLink>(await redis.get(linkKey(binding)));
    },
    async takeLink(binding: string): Promise<PendingLink | null> {
      return parse<PendingLink>(await redis.getdel(linkKey(binding)));
    },
    async dropLink(binding: string): Promise<void> {
      await redis.del(linkKey(binding));
    },
  };
}

export type PendingStore = ReturnType<typeof createPendingStore>;

/**
 * Rate limits stored in Redis (so every replica shares the counters), on top of
 * @fastify/rate-limit. `registerRateLimit` sets the global per-caller limit; routes may
 * override it with `config.rateLimit` (sign-up and login key on `clientAddressKey` only).
 * `createAttemptLimiter` counts only failures (wrong passwords), keyed by anything, e.g.
 * the account being attacked.
 */
import type { Database } from "@docent/db/client";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { verifyRequestApiKey } from "./auth";
import { sha256Hex } from "@docent/service-kit/crypto/tokens";
import { RateLimitedError } from "@docent/service-kit/errors";

export interface RateLimitSettings {
  redis: Redis;
  /** Where API keys are verified before they get a bucket of their own. */
  db: Database;
  /** Key prefix, e.g. "docent:rl:api:". */
  namespace: string;
  /** Requests per caller per window. */
  max: number;
  timeWindowMs: number;
}

/** The client's address (req.ip, which honours TRUST_PROXY): for routes anyone may call. */
export const clientAddressKey = (request: FastifyRequest): string => `ip:${request.ip}`;

/**
 * One bucket per verified API key, and per client address for everyone else: browsers,
 * anonymous callers and any Authorization header that is not a usable key. Keying on the
 * raw header would hand each forged header a fresh bucket.
 */
export function callerKeyGenerator(db: Database) {
  return async (request: FastifyRequest): Promise<string> => {
    if (request.headers.authorization !== undefined) {
      const identity = await verifyRequestApiKey(db, request).catch(() => null);
      if (identity?.kind === "apiKey") return `key:${identity.apiKeyId}`;
    }
    return clientAddressKey(request);
  };
}

export async function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    redis: settings.redis,
    nameSpace: settings.namespace,
    max: settings.max,
    timeWindow: settings.timeWindowMs,
    keyGenerator: callerKeyGenerator(settings.db),
    // A Redis outage must not take the API down with it; readyz reports Redis separately.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.ttl / 1000),
  });
}

export interface AttemptLimiter {
  /** Throws RateLimitedError when `key` has used up its failures in the window. */
  check(request: FastifyRequest, key: string): Promise<void>;
  /** Counts one failure against `key`. */
  fail(request: FastifyRequest, key: string): Promise<void>;
}

export function createAttemptLimiter(
  app: FastifyInstance,
  options: { name: string; max: number; timeWindowMs: number },
): AttemptLimiter {
  const keyOf = (request: FastifyRequest) => (request as FastifyRequest & { attemptKey?: string }).attemptKey ?? "";
  const limiter = app.createRateLimit({
    max: options.max,
    timeWindow: options.timeWindowMs,
    keyGenerator: (request) => `${options.name}:${sha256Hex(keyOf(request)).slice(0, 32)}`,
    skipOnError: true,
  });
  const withKey = (request: FastifyRequest, key: string) => {
    (request as FastifyRequest & { attemptKey?: string }).attemptKey = key;
    return request;
  };
  return {
    async check(request, key) {
      const result = await limiter(withKey(request, key), { increment: false });
      if (!result.isAllowed && result.remaining <= 0) throw new RateLimitedError(result.ttlInSeconds);
    },
    async fail(request, key) {
      await limiter(withKey(request, key));
    },
  };
}

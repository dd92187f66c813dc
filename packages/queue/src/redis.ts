/**
 * Redis connections. Workers and subscribers block on Redis, so their connections retry
 * forever (`maxRetriesPerRequest: null`, BullMQ requires it for workers). Connections
 * used while answering a request (queue producers, rate limits, budgets) must fail fast
 * when Redis is down, so the request can answer 503 instead of waiting out reconnects:
 * a command waits for at most one reconnect attempt, attempts are at most 500 ms apart,
 * and connecting or a command gives up after 2 s.
 */
import { Redis, type RedisOptions } from "ioredis";

/** "producer" and "request" both fail fast; the names say what the connection is for. */
export type RedisRole = "worker" | "subscriber" | "producer" | "request";

export const REQUEST_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  connectTimeout: 2000,
  commandTimeout: 2000,
};

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const failFast = role === "producer" || role === "request";
  return new Redis(url, {
    ...(failFast ? REQUEST_REDIS_OPTIONS : { maxRetriesPerRequest: null }),
    connectionName: `docent-${role}`,
    ...extra,
  });
}

export class RedisEvictionPolicyError extends Error {
  constructor(public readonly policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction", or Redis may ` +
        `silently delete queued jobs under memory pressure. Set it with ` +
        `\`CONFIG SET maxmemory-policy noeviction\` or --maxmemory-policy noeviction.`,
    );
    this.name = "RedisEvictionPolicyError";
  }
}

/** Throws unless Redis is configured never to evict keys. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  let policy: string;
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1] ?? "unknown";
  } catch {
    // Some managed Redis services disable CONFIG; INFO still reports the policy.
    const info = await redis.info("memory");
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? "unknown";
  }
  if (policy !== "noeviction") throw new RedisEvictionPolicyError(policy);
}

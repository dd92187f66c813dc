/**
 * Redis connections for BullMQ. Workers and subscribers block on Redis, so their
 * connections must retry forever (`maxRetriesPerRequest: null`) instead of throwing
 * after a few attempts; producers in request handlers fail fast instead.
 */
import { Redis, type RedisOptions } from "ioredis";

export type RedisRole = "worker" | "producer" | "subscriber";

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "producer" ? 3 : null,
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

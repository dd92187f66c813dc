/**
 * Fixed-window counters in Redis for the widget: requests per IP and per visitor, and
 * tokens spent per bot per UTC day. One round trip per check (INCR + EXPIRE in MULTI).
 */
import type { Redis } from "ioredis";

export function createLimiter(redis: Redis, prefix: string) {
  /** Counts one hit; returns the seconds to wait when over `limit`, else null. */
  async function hit(key: string, limit: number, windowSeconds: number): Promise<number | null> {
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const full = `${prefix}:rl:${key}:${window}`;
    const results = await redis.multi().incr(full).expire(full, windowSeconds + 1).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count <= limit) return null;
    return windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds);
  }

  const dayKey = (botId: string) => `${prefix}:tokens:${botId}:${new Date().toISOString().slice(0, 10)}`;

  return {
    hit,
    async tokensSpentToday(botId: string): Promise<number> {
      return Number((await redis.get(dayKey(botId))) ?? 0);
    },
    async addTokens(botId: string, tokens: number): Promise<void> {
      if (tokens <= 0) return;
      const key = dayKey(botId);
      await redis.multi().incrby(key, Math.round(tokens)).expire(key, 2 * 86_400).exec();
    },
  };
}

export type Limiter = ReturnType<typeof createLimiter>;

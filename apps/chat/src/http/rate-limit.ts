/**
 * Fixed-window counters in Redis for the widget: requests per IP and per visitor, and
 * tokens spent per bot per UTC day. One round trip per check (INCR + EXPIRE in MULTI).
 *
 * The daily token budget is reserved, not checked: before an answer is generated the most
 * it can cost is reserved atomically (refused when it does not fit in what is left), and
 * once it is done the reservation is settled to what it really cost. Concurrent answers
 * therefore cannot all pass a "not spent yet" check and overshoot together.
 */
import type { Redis } from "ioredis";

/** Reserves ARGV[1] tokens on KEYS[1] only if the total stays within ARGV[2]; -1 when it would not. */
const RESERVE_SCRIPT = `
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if spent + amount > tonumber(ARGV[2]) then return -1 end
local total = redis.call('INCRBY', KEYS[1], amount)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return total
`;

/** Day counters outlive their day a little, so a late settlement still finds its key. */
const DAY_KEY_TTL_SECONDS = 2 * 86_400;

export interface TokenReservation {
  /** The day counter it was taken from: settlement goes there even after midnight. */
  key: string;
  amount: number;
}

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
    /** Tokens spent (and reserved) today by the bot's widget. */
    async tokensSpentToday(botId: string): Promise<number> {
      return Number((await redis.get(dayKey(botId))) ?? 0);
    },
    /** Reserves `amount` tokens of today's `budget`; null when they do not fit. */
    async reserveTokens(botId: string, amount: number, budget: number): Promise<TokenReservation | null> {
      const key = dayKey(botId);
      const rounded = Math.max(0, Math.ceil(amount));
      const total = Number(await redis.eval(RESERVE_SCRIPT, 1, key, rounded, budget, DAY_KEY_TTL_SECONDS));
      return total < 0 ? null : { key, amount: rounded };
    },
    /** Replaces a reservation by what the answer really cost (0 releases it). */
    async settleTokens(reservation: TokenReservation, spent: number): Promise<void> {
      const delta = Math.max(0, Math.round(spent)) - reservation.amount;
      if (delta === 0) return;
      await redis.multi().incrby(reservation.key, delta).expire(reservation.key, DAY_KEY_TTL_SECONDS).exec();
    },
  };
}

export type Limiter = ReturnType<typeof createLimiter>;

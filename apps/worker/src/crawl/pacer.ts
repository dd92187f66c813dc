/**
 * The per-host request rate of a crawl: requests to one host start at least `intervalMs`
 * apart (or the robots.txt Crawl-delay, when larger). Waiting is cut short by `signal`.
 */
import { setTimeout as delay } from "node:timers/promises";

export function createHostPacer(intervalMs: number, signal: AbortSignal) {
  const next = new Map<string, number>();
  const intervals = new Map<string, number>();
  return {
    /** A slower pace for one host (Crawl-delay), never faster than the crawl's own. */
    slowDown(host: string, ms: number) {
      intervals.set(host, Math.max(intervalMs, ms));
    },
    async wait(host: string): Promise<void> {
      const now = Date.now();
      const at = Math.max(now, next.get(host) ?? 0);
      next.set(host, at + (intervals.get(host) ?? intervalMs));
      if (at > now) await delay(at - now, undefined, { signal });
    },
  };
}

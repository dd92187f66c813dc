/**
 * Request-path Redis connections fail fast while Redis is unreachable and work again
 * right after it is back, against the test Redis behind a relay this test switches off.
 */
import type {} from "@docent/testing/global-setup";
import { startTcpRelay, targetOf } from "@docent/testing/relay";
import { afterAll, describe, expect, it, inject } from "vitest";
import { createRedis, REQUEST_REDIS_OPTIONS } from "./redis";

/** The longest wait between reconnect attempts of a request-path connection. */
const REQUEST_RECONNECT_CAP_MS = REQUEST_REDIS_OPTIONS.retryStrategy!(Number.MAX_SAFE_INTEGER) as number;

const redisUrl = inject("redisUrl");
const relay = await startTcpRelay(targetOf(redisUrl, 6379));
afterAll(() => relay.close());

async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe("request-path Redis connections", () => {
  it("fail a command within a second or two during an outage and recover when Redis is back", async () => {
    for (const role of ["producer", "request"] as const) {
      const redis = createRedis(relay.urlFor(redisUrl), role);
      redis.on("error", () => {});
      await redis.ping();
      // The outage lasts until the delay between reconnect attempts has grown to its cap.
      const delays: number[] = [];
      redis.on("reconnecting", (delay: number) => delays.push(delay));
      await relay.off();
      await expect.poll(() => Math.max(0, ...delays), { timeout: 10_000, message: role }).toBe(REQUEST_RECONNECT_CAP_MS);
      const during = await timed(() => redis.get("docent-test:any"));
      expect(during.error, role).toBeDefined();
      expect(during.ms, role).toBeLessThan(1500);
      // Back within one attempt of Redis answering again.
      // (Not events.once: the failed attempts' "error" events would reject it.)
      const reconnected = new Promise((resolve) => redis.once("ready", resolve));
      await relay.on();
      const back = await timed(() => reconnected);
      expect(back.ms, role).toBeLessThan(REQUEST_RECONNECT_CAP_MS + 1000);
      const after = await timed(() => redis.ping());
      expect(after.error, role).toBeUndefined();
      expect(after.ms, role).toBeLessThan(1000);
      redis.disconnect();
    }
  }, 30_000);
});

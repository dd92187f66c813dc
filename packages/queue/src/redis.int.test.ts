/**
 * Request-path Redis connections fail fast while Redis is unreachable and work again
 * right after it is back, against the test Redis behind a relay this test switches off.
 */
import type {} from "@docent/testing/global-setup";
import { startTcpRelay, targetOf } from "@docent/testing/relay";
import { afterAll, describe, expect, it, inject } from "vitest";
import { createRedis } from "./redis";

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
      await relay.off();
      // Let the outage run long enough for ioredis's default reconnect delay to grow.
      await new Promise((r) => setTimeout(r, 3000));
      const during = await timed(() => redis.get("docent-test:any"));
      expect(during.error, role).toBeDefined();
      expect(during.ms, role).toBeLessThan(1500);
      await relay.on();
      await new Promise((r) => setTimeout(r, 600));
      const after = await timed(() => redis.ping());
      expect(after.error, role).toBeUndefined();
      expect(after.ms, role).toBeLessThan(1000);
      redis.disconnect();
    }
  }, 30_000);
});

/**
 * Redis for tests. Test files share one server, so each file gets its own key prefix
 * and `flush()` deletes only that prefix: a FLUSHDB would wipe a neighbour's queues.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, inject } from "vitest";
// Brings the ProvidedContext keys (databaseUrl, redisUrl, templateDatabase) into scope.
import type {} from "./global-setup";

export interface TestRedis {
  url: string;
  /** Unique per test file; pass it as the BullMQ `prefix` and as a key namespace. */
  prefix: string;
  client: Redis;
  flush(): Promise<void>;
}

export function useTestRedis(): TestRedis {
  const url = inject("redisUrl");
  const prefix = `docent-test-${randomBytes(4).toString("hex")}`;
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Reconnects by itself; without a listener every failed attempt is printed (fault tests
  // restart Redis on purpose).
  client.on("error", () => {});
  const flush = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  };
  afterAll(async () => {
    await flush();
    client.disconnect();
  });
  return { url, prefix, client, flush };
}

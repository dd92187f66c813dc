/**
 * The maintenance worker: its job schedulers exist once started (however many workers
 * start), and the error log's retention deletes entries older than
 * ERROR_LOG_RETENTION_DAYS while keeping newer ones; a scheduled tick runs it.
 */
import { errorLogs } from "@docent/db/schema";
import { createMaintenanceQueue } from "@docent/queue/maintenance";
import { createRedis } from "@docent/queue/redis";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { logger } from "../../test/harness";
import { secretBox } from "../../test/webhooks";
import { createWebhookWorker } from "./webhook-worker";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const redis = createRedis(testRedis.url, "worker");
const day = 24 * 3600_000;

function start(pruneIntervalMs: number) {
  return createWebhookWorker({
    db: database.db,
    redis,
    queuePrefix: testRedis.prefix,
    logger,
    secretBox,
    concurrency: 1,
    timeoutMs: 1000,
    maxAttempts: 3,
    retryBaseMs: 40,
    sweepIntervalMs: 3600_000,
    policy: {},
    errorLogRetentionDays: 30,
    errorLogPruneIntervalMs: pruneIntervalMs,
  });
}

afterAll(() => redis.disconnect());

describe("error log retention", () => {
  it("deletes entries older than the retention on the scheduler's tick, and keeps newer ones", async () => {
    await database.db.insert(errorLogs).values([
      { service: "api", errorType: "INTERNAL", message: "45 days old", createdAt: new Date(Date.now() - 45 * day) },
      { service: "worker", errorType: "INTERNAL", message: "31 days old", createdAt: new Date(Date.now() - 31 * day) },
      { service: "chat", errorType: "INTERNAL", message: "29 days old", createdAt: new Date(Date.now() - 29 * day) },
      { service: "api", errorType: "INTERNAL", message: "today" },
    ]);
    const worker = start(200);
    const second = start(200);
    await worker.start();
    await second.start();
    try {
      const schedulers = await createMaintenanceQueue({ connection: redis, prefix: testRedis.prefix }).getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(["prune-error-logs", "sweep-webhooks"]);
      const deadline = Date.now() + 10_000;
      let messages: string[] = [];
      while (Date.now() < deadline) {
        messages = (await database.db.select({ message: errorLogs.message }).from(errorLogs)).map((r) => r.message).sort();
        if (messages.length === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(messages).toEqual(["29 days old", "today"]);
    } finally {
      await worker.close();
      await second.close();
    }
  });
});

/**
 * Job identity on real Redis: a double click makes one job, a re-index after the
 * earlier version completed is a new job, and the eviction guard reads the server.
 */
import type {} from "@docent/testing/global-setup";
import { useTestRedis } from "@docent/testing/redis";
import { randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { QUEUE_NAMES } from "./jobs";
import { createIngestQueue, CRAWLED_PAGE_PRIORITY, enqueueIngest } from "./producer";
import { assertNoEviction, createRedis, RedisEvictionPolicyError } from "./redis";

const redis = useTestRedis();
const connection = createRedis(redis.url, "worker");
const queue = createIngestQueue({ connection, prefix: redis.prefix });
afterAll(async () => {
  await queue.close();
  connection.disconnect();
});

const payload = (version: number, documentId = randomUUID()) => ({
  documentId,
  botId: randomUUID(),
  workspaceId: randomUUID(),
  version,
});

describe("enqueueIngest", () => {
  it("makes one job when the same document version is enqueued twice", async () => {
    const p = payload(1);
    const a = await enqueueIngest(queue, p);
    const b = await enqueueIngest(queue, p);
    expect(a.jobId).toBe(b.jobId);
    expect(a.jobId).toContain(p.documentId);
    expect(a.jobId).toContain("v1");
    const waiting = await queue.getJobs(["waiting"]);
    expect(waiting.filter((j) => j.data.documentId === p.documentId)).toHaveLength(1);
  });

  it("makes a new job for a re-index after the earlier version completed", async () => {
    await redis.flush();
    const first = payload(1);
    const seen: number[] = [];
    const worker = new Worker(
      QUEUE_NAMES.ingest,
      async (job) => {
        seen.push(job.data.version);
      },
      { connection, prefix: redis.prefix },
    );
    const done = new Promise<void>((resolve) => {
      worker.on("completed", () => {
        if (seen.length === 2) resolve();
      });
    });
    await enqueueIngest(queue, first);
    await new Promise<void>((resolve) => worker.once("completed", () => resolve()));
    await enqueueIngest(queue, { ...first, version: 2 });
    await done;
    await worker.close();
    expect(seen).toEqual([1, 2]);
  });

  it("takes an upload before the pages a crawl queued earlier", async () => {
    await redis.flush();
    const pages = [payload(1), payload(1), payload(1)];
    for (const page of pages) await enqueueIngest(queue, page, { priority: CRAWLED_PAGE_PRIORITY });
    const upload = payload(1);
    await enqueueIngest(queue, upload);
    const seen: string[] = [];
    const worker = new Worker(QUEUE_NAMES.ingest, async (job) => void seen.push(job.data.documentId), { connection, prefix: redis.prefix, concurrency: 1 });
    await new Promise<void>((resolve) => worker.on("completed", () => seen.length === 4 && resolve()));
    await worker.close();
    expect(seen).toEqual([upload.documentId, ...pages.map((p) => p.documentId)]);
  });

  it("rejects a payload that is not a valid job", async () => {
    await expect(
      enqueueIngest(queue, { ...payload(1), documentId: "../etc/passwd" }),
    ).rejects.toThrow();
  });
});

describe("assertNoEviction", () => {
  it("accepts the test server, which is configured with noeviction", async () => {
    await expect(assertNoEviction(redis.client)).resolves.toBeUndefined();
  });

  it("refuses a server that may evict keys, naming the policy", async () => {
    const fake = { config: async () => ["maxmemory-policy", "allkeys-lru"] };
    await expect(assertNoEviction(fake as never)).rejects.toThrow(RedisEvictionPolicyError);
    await expect(assertNoEviction(fake as never)).rejects.toThrow(/allkeys-lru/);
  });
});

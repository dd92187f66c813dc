/**
 * The worker as a real process. SIGKILL mid-document: the job's lock expires, another
 * worker picks it up (stalled-job recovery), and the document ends PROCESSED with exactly
 * the chunks of a clean run, no duplicates. SIGTERM: the worker hands the running job
 * back to the queue and exits cleanly; the next worker completes it.
 */
import type {} from "@docent/testing/global-setup";
import { createLogger } from "@docent/config/logger";
import { createDocumentsService, unlimitedLimits } from "@docent/documents";
import { chunkDocument, extract } from "@docent/ingest";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { startTestS3 } from "@docent/storage/testing";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { longMarkdown } from "../test/fixtures";
import { waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { spawnWorker, type SpawnedWorker } from "../test/spawn";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const s3 = await startTestS3();
const redis = createRedis(testRedis.url, "worker");
const queue = createIngestQueue({ connection: redis, prefix: testRedis.prefix });
const service = createDocumentsService({
  db: database.db,
  storage: s3.storage,
  queue,
  redis,
  logger: createLogger({ service: "crash-test", level: "silent" }),
  limits: unlimitedLimits,
});
const chunking = { chunkSize: 100, chunkOverlap: 20 };
const { bot, workspace } = await seedBot(database.db, chunking);
const spawned: SpawnedWorker[] = [];
afterAll(async () => {
  for (const w of spawned) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await service.close();
  await queue.close();
  redis.disconnect();
  await s3.stop();
});

function startWorker(extra: Record<string, string> = {}) {
  const worker = spawnWorker({
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: "4",
    REDIS_URL: testRedis.url,
    QUEUE_PREFIX: testRedis.prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
    WORKER_CONCURRENCY: "1",
    WORKER_LOCK_DURATION_MS: "2000",
    WORKER_STALLED_INTERVAL_MS: "1000",
    EMBED_BATCH_SIZE: "4",
    PROGRESS_INTERVAL_MS: "20",
    SHUTDOWN_TIMEOUT_MS: "15000",
    ...extra,
  });
  spawned.push(worker);
  return worker;
}

const text = longMarkdown(30);
const cleanRunChunks = chunkDocument(await extract({ bytes: Buffer.from(text), kind: "markdown" }), chunking).length;

async function addHandbook() {
  return service.addFile({ botId: bot.id, fileName: "handbook.md", stream: Readable.from([Buffer.from(text)]) });
}

async function chunkStats(documentId: string) {
  const [row] = await database.sql<{ total: number; distinctIndexes: number; maxIndex: number | null; distinctContent: number }[]>`
    select count(*)::int as total, count(distinct chunk_index)::int as "distinctIndexes",
           max(chunk_index) as "maxIndex", count(distinct (chunk_index, content))::int as "distinctContent"
      from bot_document_chunks where document_id = ${documentId}`;
  return row!;
}

describe("worker crash safety", () => {
  it("a document survives SIGKILL mid-embedding with exactly the clean run's chunks", async () => {
    expect(cleanRunChunks).toBeGreaterThan(40);
    const slow = startWorker({ DOCENT_TEST_EMBED_DELAY_MS: "150" });
    await slow.waitForLine(/worker ready/);
    const doc = await addHandbook();
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed" && r.progress >= 40);
    slow.child.kill("SIGKILL");
    expect((await slow.exited).signal).toBe("SIGKILL");

    // Nothing half-written is visible: the killed attempt never committed.
    const mid = await waitForDocument(database.sql, doc.id, () => true);
    expect(mid.status).toBe("PROCESSING");
    expect((await chunkStats(doc.id)).total).toBe(0);

    const rescuer = startWorker();
    const row = await waitForDocument(database.sql, doc.id, (r) => r.status !== "PROCESSING", 40_000);
    expect(row.status).toBe("PROCESSED");
    expect(row.chunkCount).toBe(cleanRunChunks);
    expect(await chunkStats(doc.id)).toEqual({
      total: cleanRunChunks,
      distinctIndexes: cleanRunChunks,
      maxIndex: cleanRunChunks - 1,
      distinctContent: cleanRunChunks,
    });
    // Recovered by BullMQ's stalled-job check, not by a fresh job.
    const job = await queue.getJob(`${doc.id}-v1`);
    expect(job?.stalledCounter).toBe(1);
    // The recovered job is still one processing job for the month.
    const [usage] = await database.sql<{ jobs: number }[]>`
      select processing_jobs as jobs from usage_counters where workspace_id = ${workspace.id}`;
    expect(usage?.jobs).toBe(1);
    rescuer.child.kill("SIGTERM");
    expect((await rescuer.exited).code).toBe(0);
  });

  it("SIGTERM releases the running job and exits cleanly; the next worker completes it", async () => {
    const worker = startWorker({ DOCENT_TEST_EMBED_DELAY_MS: "150" });
    const ready = JSON.parse(await worker.waitForLine(/worker ready/)) as { opsPort: number };
    // The image's HEALTHCHECK asks the ops server: ready while it works.
    const readyz = await fetch(`http://127.0.0.1:${ready.opsPort}/readyz`);
    expect(await readyz.json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok", worker: "ok" } });
    const doc = await addHandbook();
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed" && r.progress >= 30);
    worker.child.kill("SIGTERM");
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.lines.some((l) => /job released/.test(l))).toBe(true);
    expect(worker.lines.some((l) => /shutdown complete/.test(l))).toBe(true);
    // Released, not stalled: the job is waiting for the next worker right away.
    const job = await queue.getJob(`${doc.id}-v1`);
    expect(await job?.getState()).toBe("waiting");

    const next = startWorker();
    const row = await waitForDocument(database.sql, doc.id, (r) => r.status !== "PROCESSING", 40_000);
    expect(row.status).toBe("PROCESSED");
    expect((await chunkStats(doc.id)).total).toBe(cleanRunChunks);
    next.child.kill("SIGTERM");
    expect((await next.exited).code).toBe(0);
  });
});

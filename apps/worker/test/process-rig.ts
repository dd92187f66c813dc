/**
 * For tests that run the worker as real processes (its shipped start command): a fresh
 * database, a Redis prefix, an S3-protocol server, documents added as the API adds them (./documents),
 * and `startWorker(env)` for processes pointed at all of them. Every process still
 * running when the file ends is killed.
 */
import type {} from "@docent/testing/global-setup";
import { createLogger } from "@docent/config/logger";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { startTestS3 } from "@docent/storage/testing";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, expect } from "vitest";
import { createTestDocuments } from "./documents";
import { waitForDocument } from "./harness";
import { spawnWorker, type SpawnedWorker } from "./spawn";

export async function createProcessRig() {
  const database = await useTestDatabase();
  const testRedis = useTestRedis();
  const s3 = await startTestS3();
  const redis = createRedis(testRedis.url, "worker");
  const queue = createIngestQueue({ connection: redis, prefix: testRedis.prefix });
  const documents = createTestDocuments({ db: database.db, storage: s3.storage, queue, logger: createLogger({ service: "process-test", level: "silent" }) });
  const spawned: SpawnedWorker[] = [];
  afterAll(async () => {
    for (const w of spawned) if (w.child.exitCode === null) w.child.kill("SIGKILL");
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

  /** Chunk rows of a document: total, distinct indexes and contents (duplicates show). */
  async function chunkStats(documentId: string) {
    const [row] = await database.sql<{ total: number; distinctIndexes: number; maxIndex: number | null; distinctContent: number }[]>`
      select count(*)::int as total, count(distinct chunk_index)::int as "distinctIndexes",
             max(chunk_index) as "maxIndex", count(distinct (chunk_index, content))::int as "distinctContent"
        from bot_document_chunks where document_id = ${documentId}`;
    return row!;
  }

  /** The document ends PROCESSED with exactly `chunks` chunks: no duplicate, no gap (what a clean run stores). */
  async function expectExactlyProcessed(documentId: string, chunks: number, timeoutMs: number) {
    const row = await waitForDocument(database.sql, documentId, (r) => r.status !== "PROCESSING", timeoutMs);
    expect(row.status).toBe("PROCESSED");
    expect(row.chunkCount).toBe(chunks);
    expect(await chunkStats(documentId)).toEqual({ total: chunks, distinctIndexes: chunks, maxIndex: chunks - 1, distinctContent: chunks });
    return row;
  }

  return { database, testRedis, s3, redis, queue, documents, startWorker, chunkStats, expectExactlyProcessed };
}

/**
 * In-process test rig: a fresh database, a Redis prefix, an S3-protocol server, the
 * documents added as the API adds them (./documents) and an ingest worker whose embedder counts its calls.
 */
import type {} from "@docent/testing/global-setup";
import { createLogger } from "@docent/config/logger";
import { createLocalEmbedder } from "@docent/embeddings";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { startTestS3, type TestS3 } from "@docent/storage/testing";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, vi } from "vitest";
import { createTestDocuments } from "./documents";
import type { EmbedderLike } from "../src/pipeline/embed";
import { slowEmbedder } from "../src/test-hooks";
import type { ReaperDeps } from "../src/reaper";
import { createIngestWorker, type IngestWorkerOptions } from "../src/worker";

export const logger = createLogger({ service: "worker-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** Wraps the local embedder, counting calls and texts (the re-index test reads them). */
export function countingEmbedder(inner: EmbedderLike = createLocalEmbedder()) {
  const counts = { calls: 0, texts: 0 };
  const embedder: EmbedderLike = {
    id: inner.id,
    dimensions: inner.dimensions,
    async embed(texts) {
      counts.calls++;
      counts.texts += texts.length;
      return inner.embed(texts);
    },
  };
  return { embedder, counts };
}

export async function createRig(
  options: Partial<IngestWorkerOptions> & {
    startWorker?: boolean;
    /** The storage the worker reads through, made from the rig's S3 server (uploads go direct). */
    workerStorage?: (s3: TestS3) => Promise<IngestWorkerOptions["storage"]>;
    /** Pause before each embedding call, so a test can act while a job is mid-way. */
    embedDelayMs?: number;
  } = {},
) {
  const database = await useTestDatabase();
  const testRedis = useTestRedis();
  const s3 = await startTestS3();
  const redis = createRedis(testRedis.url, "worker");
  const queue = createIngestQueue({ connection: redis, prefix: testRedis.prefix });
  const counting = countingEmbedder();
  const documents = createTestDocuments({ db: database.db, storage: s3.storage, queue, logger });
  const { workerStorage, startWorker, embedDelayMs, ...workerOptions } = options;
  const storage = workerStorage ? await workerStorage(s3) : s3.storage;
  const worker =
    startWorker === false
      ? undefined
      : createIngestWorker({
          db: database.db,
          sql: database.sql,
          storage,
          redis,
          queuePrefix: testRedis.prefix,
          embedder: embedDelayMs ? slowEmbedder(counting.embedder, embedDelayMs) : counting.embedder,
          logger,
          concurrency: 2,
          timings: { lockDurationMs: 10_000, stalledIntervalMs: 5_000, maxStalledCount: 1 },
          embedBatchSize: 16,
          progressIntervalMs: 50,
          reaper: false,
          outageDeadlineMs: 60_000,
          ...workerOptions,
        });
  worker?.start();
  afterAll(async () => {
    await worker?.close();
    await queue.close();
    redis.disconnect();
    await s3.stop();
  });
  /** What the reaper needs, wired to this rig (tests call reapStuckDocuments directly). */
  const reaperDeps = (overrides: Partial<ReaperDeps> = {}): ReaperDeps => ({
    db: database.db,
    sql: database.sql,
    storage: s3.storage,
    queue,
    redis,
    queuePrefix: testRedis.prefix,
    logger,
    staleAfterMs: 60_000,
    embedderFor: async () => counting.embedder,
    ...overrides,
  });
  return { database, testRedis, s3, redis, queue, documents, worker, counts: counting.counts, reaperDeps };
}

export async function waitForDocument(
  sql: import("postgres").Sql,
  documentId: string,
  accept: (row: {
    status: string;
    stage: string | null;
    progress: number;
    version: number;
    errorMessage: string | null;
    chunkCount: number;
  }) => boolean,
  timeoutMs = 30_000,
) {
  return vi.waitFor(
    async () => {
      const [row] = await sql<
        { status: string; stage: string | null; progress: number; version: number; errorMessage: string | null; chunkCount: number }[]
      >`select status, stage, progress, version, error_message as "errorMessage", chunk_count as "chunkCount"
          from bot_documents where id = ${documentId}`;
      if (row && accept(row)) return row;
      throw new Error(`timed out waiting for document ${documentId}: ${JSON.stringify(row)}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

export const settled = (row: { status: string }) => row.status === "PROCESSED" || row.status === "FAILED";

/**
 * The document's job once BullMQ has finished with it (completed or failed). The document
 * row commits before BullMQ records the outcome and `attemptsMade`, so read the job after this.
 */
export async function finishedJob(queue: { getJob(id: string): Promise<import("bullmq").Job | undefined> }, documentId: string, timeoutMs = 10_000) {
  return vi.waitFor(
    async () => {
      const state = await (await queue.getJob(`${documentId}-v1`))?.getState();
      // Read again once finished: a job read before its move still holds the old counts.
      const job = state === "completed" || state === "failed" ? await queue.getJob(`${documentId}-v1`) : undefined;
      if (job) return job;
      throw new Error(`timed out waiting for the job of document ${documentId} to finish (state ${state})`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/**
 * Ingestion across a PostgreSQL restart and a Redis restart (AOF on, as in compose), with
 * two worker processes started by their shipped command: every document ends PROCESSED
 * with exactly its chunks, and the outage used none of any job's attempts (BullMQ counts
 * only the successful run). Nothing needs a person to step in.
 */
import { Readable } from "node:stream";
import { createLogger } from "@docent/config/logger";
import { chunkDocument, extract } from "@docent/ingest";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { startTestS3 } from "@docent/storage/testing";
import { createTestDocuments } from "@docent/worker/testing/documents";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startPostgres, startRedis, stopPostgres, stopRedis } from "./own-services";
import { startWorker } from "./processes";
import { seedTenant } from "./seed";
import { handbook } from "./corpus";

const own = inject("ownServices");
const database = await useTestDatabase();
const redis = useTestRedis();
const s3 = await startTestS3();
const connection = createRedis(redis.url, "worker");
connection.on("error", () => {}); // reconnects by itself after the Redis restart
const queue = createIngestQueue({ connection, prefix: redis.prefix });
const documents = createTestDocuments({
  db: database.db,
  storage: s3.storage,
  queue,
  logger: createLogger({ service: "faults", level: "silent" }),
});
afterAll(async () => {
  await queue.close();
  connection.disconnect();
  await s3.stop();
});
const chunking = { chunkSize: 100, chunkOverlap: 20 };
const { bot } = await seedTenant(database.db, chunking);
const workerEnv = {
  DATABASE_URL: database.url,
  DATABASE_POOL_MAX: "4",
  DATABASE_CONNECT_TIMEOUT_MS: "2000",
  REDIS_URL: redis.url,
  QUEUE_PREFIX: redis.prefix,
  S3_ENDPOINT: s3.endpoint,
  S3_BUCKET: s3.bucket,
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  S3_FORCE_PATH_STYLE: "true",
  WORKER_CONCURRENCY: "2",
  EMBED_BATCH_SIZE: "8",
  DOCENT_TEST_EMBED_DELAY_MS: "150",
};
const workers = [startWorker(workerEnv), startWorker(workerEnv)];
// FAULTS_DEBUG=1 keeps the workers' output in /tmp/faults-worker-<n>.log.
afterAll(async () => {
  if (process.env.FAULTS_DEBUG) {
    const { writeFileSync } = await import("node:fs");
    workers.forEach((w, i) => writeFileSync(`/tmp/faults-worker-${i}.log`, w.lines.join("\n")));
  }
});
await Promise.all(workers.map((w) => w.waitForLine(/worker ready/, 60_000)));

type Row = { id: string; status: string; chunkCount: number; errorMessage: string | null };

/** The rows, or undefined while the database is unreachable. */
async function rows(ids: string[]): Promise<Row[] | undefined> {
  try {
    return await database.sql<Row[]>`
      select id, status, chunk_count as "chunkCount", error_message as "errorMessage"
        from bot_documents where id = any(${ids})`;
  } catch {
    return undefined;
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function upload(count: number, label: string) {
  const docs: { id: string; expectedChunks: number }[] = [];
  for (let i = 0; i < count; i++) {
    const text = handbook(`${label} ${i}`, 6);
    const expectedChunks = chunkDocument(await extract({ bytes: Buffer.from(text), kind: "markdown" }), chunking).length;
    const doc = await documents.addFile({ botId: bot.id, fileName: `${label}-${i}.md`, stream: Readable.from([Buffer.from(text)]) });
    docs.push({ id: doc.id, expectedChunks });
  }
  return docs;
}

/** Waits until some documents are done and some in progress: the middle of the ingest. */
async function midIngest(ids: string[]) {
  await until(async () => {
    const current = (await rows(ids)) ?? [];
    return current.filter((r) => r.status === "PROCESSED").length >= 2 && current.some((r) => r.status === "PROCESSING");
  }, "the ingest to be under way");
}

async function expectAllProcessedExactly(docs: { id: string; expectedChunks: number }[]) {
  const ids = docs.map((d) => d.id);
  await until(async () => ((await rows(ids)) ?? []).every((r) => r.status === "PROCESSED" || r.status === "FAILED"), "every document to settle", 180_000);
  const final = (await rows(ids))!;
  expect(final.filter((r) => r.status !== "PROCESSED")).toEqual([]);
  const counts = await database.sql<{ documentId: string; total: number; distinct: number }[]>`
    select document_id as "documentId", count(*)::int as total, count(distinct chunk_index)::int as distinct
      from bot_document_chunks where document_id = any(${ids}) group by document_id`;
  for (const doc of docs) {
    const count = counts.find((c) => c.documentId === doc.id);
    expect(count, doc.id).toEqual({ documentId: doc.id, total: doc.expectedChunks, distinct: doc.expectedChunks });
  }
  // The rows commit before BullMQ records the jobs' completion: read the jobs after it.
  await until(async () => {
    const states = await Promise.all(ids.map(async (id) => (await queue.getJob(`${id}-v1`))?.getState()));
    return states.every((state) => state === "completed");
  }, "every job to complete");
  const jobs = await Promise.all(ids.map((id) => queue.getJob(`${id}-v1`)));
  // Only the successful run counts; an outage spends no attempt.
  expect(jobs.map((j) => j?.attemptsMade)).toEqual(ids.map(() => 1));
  return jobs;
}

describe("ingesting through dependency restarts", () => {
  it("a PostgreSQL restart mid-ingest fails no document and spends no attempt", async () => {
    const docs = await upload(16, "pg");
    await midIngest(docs.map((d) => d.id));
    await stopPostgres(own);
    await new Promise((r) => setTimeout(r, 8000));
    await startPostgres(own);
    const jobs = await expectAllProcessedExactly(docs);
    // The outage did reach the workers: some jobs were postponed.
    expect(jobs.filter((j) => (j?.data as { outage?: unknown }).outage).length).toBeGreaterThan(0);
  });

  it("a Redis restart mid-ingest fails no document", async () => {
    const docs = await upload(16, "redis");
    await midIngest(docs.map((d) => d.id));
    await stopRedis(own);
    await new Promise((r) => setTimeout(r, 5000));
    await startRedis(own);
    await expectAllProcessedExactly(docs);
    for (const w of workers) expect(w.child.exitCode, `a worker exited:\n${w.tail(40)}`).toBeNull();
  });
});

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
  await expect
    .poll(() => rows(ids), { timeout: 90_000, interval: 200, message: "the ingest to be under way" })
    .toSatisfy((current: Row[] | undefined) => (current ?? []).filter((r) => r.status === "PROCESSED").length >= 2 && (current ?? []).some((r) => r.status === "PROCESSING"));
}

async function expectAllProcessedExactly(docs: { id: string; expectedChunks: number }[]) {
  const ids = docs.map((d) => d.id);
  await expect
    .poll(() => rows(ids), { timeout: 180_000, interval: 200, message: "every document to settle" })
    .toSatisfy((current: Row[] | undefined) => current !== undefined && current.every((r) => r.status === "PROCESSED" || r.status === "FAILED"));
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
  await expect
    .poll(() => Promise.all(ids.map(async (id) => (await queue.getJob(`${id}-v1`))?.getState())), {
      timeout: 90_000,
      interval: 200,
      message: "every job to complete",
    })
    .toSatisfy((states: (string | undefined)[]) => states.every((state) => state === "completed"));
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
    // Down until the outage has reached the workers: a job postponed for it.
    await expect
      .poll(async () => (await Promise.all(docs.map((d) => queue.getJob(`${d.id}-v1`)))).filter((j) => (j?.data as { outage?: unknown }).outage).length, {
        timeout: 90_000,
        interval: 200,
        message: "a job postponed for the outage",
      })
      .toBeGreaterThan(0);
    await startPostgres(own);
    await expectAllProcessedExactly(docs);
  });

  it("a Redis restart mid-ingest fails no document", async () => {
    const docs = await upload(16, "redis");
    await midIngest(docs.map((d) => d.id));
    const seen = workers.map((w) => w.lines.length);
    await stopRedis(own);
    // Down until every worker has lost its connection.
    await expect
      .poll(() => workers.every((w, i) => w.lines.slice(seen[i]).some((l) => /"msg":"redis error"/.test(l))), {
        timeout: 60_000,
        interval: 200,
        message: "every worker to lose Redis",
      })
      .toBe(true);
    await startRedis(own);
    await expectAllProcessedExactly(docs);
    for (const w of workers) expect(w.child.exitCode, `a worker exited:\n${w.tail(40)}`).toBeNull();
  });
});

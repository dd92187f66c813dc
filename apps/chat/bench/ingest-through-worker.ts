/**
 * Ingests texts into a bot through the product's own pipeline: each original is stored
 * as the API stores it (fs storage in a temporary directory) and enqueues its job on a
 * private BullMQ prefix; one worker process, started with the worker's shipped `start`
 * command, extracts, chunks (the bot's rag config), embeds with the local embedder and
 * commits each document's chunks with one binary COPY in one transaction.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@docent/db/client";
import * as s from "@docent/db/schema";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { createFsStorage } from "@docent/storage";
import { appDir, type BenchmarkProcess, spawnForBenchmark } from "@docent/testing/process";
import { and, eq, sql } from "drizzle-orm";
import { queueDocument } from "./queue-document";

/** The worker process as it ships (its `start` script), over this process's environment. */
export const spawnWorker = (env: Record<string, string>): BenchmarkProcess =>
  spawnForBenchmark(appDir("worker"), { WORKER_OPS_PORT: "0", ...env });

export interface IngestThroughWorkerOptions {
  db: Database;
  /** The database the worker connects to: the one `db` points at. */
  databaseUrl: string;
  redisUrl: string;
  botId: string;
  documents: { name: string; text: string }[];
  timeoutMs?: number;
}

export interface IngestThroughWorkerResult {
  /** Document ids, in the order of `documents`. */
  documentIds: string[];
  /** Storing the originals, creating their rows and enqueueing their jobs. */
  addSeconds: number;
  /** From the worker's spawn to the last document PROCESSED (start-up included). */
  workerSeconds: number;
  /** WORKER_CONCURRENCY passed on from the environment; undefined: the worker's default. */
  workerConcurrency: string | undefined;
}

export async function ingestThroughWorker(options: IngestThroughWorkerOptions): Promise<IngestThroughWorkerResult> {
  const { db, botId } = options;
  const storageDir = mkdtempSync(join(tmpdir(), "docent-eval-storage-"));
  const prefix = `docent-eval-${randomBytes(4).toString("hex")}`;
  const redis = createRedis(options.redisUrl, "worker");
  const queue = createIngestQueue({ connection: redis, prefix });
  const storage = createFsStorage(storageDir);
  const workerConcurrency = process.env.WORKER_CONCURRENCY;
  let worker: BenchmarkProcess | undefined;
  try {
    // Everything is queued before the worker starts, so its time is the pipeline's alone.
    await queue.pause();
    const addStarted = performance.now();
    const documentIds: string[] = [];
    for (const doc of options.documents) {
      const bytes = Buffer.from(doc.text, "utf8");
      documentIds.push(await queueDocument({ db, storage, queue }, { botId, name: doc.name, bytes, sourceType: "MANUAL_TEXT", mimeType: "text/plain; charset=utf-8" }));
    }
    const addSeconds = (performance.now() - addStarted) / 1000;
    await queue.resume();

    const workerStarted = performance.now();
    worker = spawnWorker({
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: prefix,
      STORAGE_DRIVER: "fs",
      STORAGE_DIR: storageDir,
      EMBEDDING_PROVIDER: "local",
    });
    const running = worker;
    let exitCode: number | null | undefined;
    void running.exited.then((code) => (exitCode = code));
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const [row] = await db
        .select({
          open: sql<number>`count(*) filter (where ${s.botDocuments.status} in ('PENDING', 'PROCESSING'))::int`,
          failed: sql<number>`count(*) filter (where ${s.botDocuments.status} = 'FAILED')::int`,
        })
        .from(s.botDocuments)
        .where(eq(s.botDocuments.botId, botId));
      if (row!.failed > 0) {
        const failed = await db
          .select({ name: s.botDocuments.name, error: s.botDocuments.errorMessage })
          .from(s.botDocuments)
          .where(and(eq(s.botDocuments.botId, botId), eq(s.botDocuments.status, "FAILED")));
        throw new Error(`${failed.length} documents FAILED in the worker: ${failed.map((f) => `${f.name}: ${f.error}`).join("; ")}`);
      }
      if (row!.open === 0) break;
      if (exitCode !== undefined) throw new Error(`the worker exited (code ${exitCode}) with ${row!.open} documents open: ${running.output()}`);
      if (Date.now() > deadline) throw new Error(`timed out with ${row!.open} documents still PENDING/PROCESSING`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const workerSeconds = (performance.now() - workerStarted) / 1000;
    running.child.kill("SIGTERM");
    const code = await running.exited;
    if (code !== 0) throw new Error(`the worker exited with code ${code} on SIGTERM: ${running.output()}`);
    return { documentIds, addSeconds, workerSeconds, workerConcurrency };
  } finally {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    redis.disconnect();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

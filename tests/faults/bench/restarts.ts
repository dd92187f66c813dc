/**
 * `pnpm bench:faults`: a PostgreSQL restart and a Redis restart in the middle of a
 * 300-document ingest, and how many documents needed a person to step in (target 0).
 *
 * On a PostgreSQL cluster and a Redis of its own (ports FAULTS_PG_PORT, default 55434,
 * and FAULTS_REDIS_PORT, default 56381; see src/own-services.ts), with the worker
 * processes started by their shipped command and default settings (lock, stalled check,
 * reaper, outage deadline): the documents are added as the API adds them (stored, row, job),
 * PostgreSQL is stopped (fast shutdown, as a restart does) once a third are processed and
 * started again after BENCH_PG_OUTAGE_MS, then Redis (AOF on, as in compose) once two
 * thirds are, for BENCH_REDIS_OUTAGE_MS. At the end every document must be PROCESSED
 * with exactly its chunks. Prints the figures and rewrites its section of
 * docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createLogger } from "@docent/config/logger";
import { ensureCatalog } from "@docent/db/catalog";
import { createDb } from "@docent/db/client";
import { runMigrations } from "@docent/db/migrate";
import { chunkDocument, extract } from "@docent/ingest";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { createFsStorage } from "@docent/storage";
import { createTestDocuments } from "@docent/worker/testing/documents";
import { workerStartCommand } from "@docent/worker/start-command";
import { handbook } from "../src/corpus";
import {
  createOwnServices,
  databaseUrlOf,
  destroyOwnServices,
  redisUrlOf,
  startPostgres,
  startRedis,
  stopPostgres,
  stopRedis,
} from "../src/own-services";
import { seedTenant } from "../src/seed";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const documentCount = Number(process.env.BENCH_DOCS ?? 300);
const workerCount = Number(process.env.BENCH_WORKERS ?? 2);
const pgOutageMs = Number(process.env.BENCH_PG_OUTAGE_MS ?? 20_000);
const redisOutageMs = Number(process.env.BENCH_REDIS_OUTAGE_MS ?? 10_000);
const settleTimeoutMs = Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 20 * 60_000);
const chunking = { chunkSize: 200, chunkOverlap: 30 };

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface Counts {
  PENDING: number;
  PROCESSING: number;
  PROCESSED: number;
  FAILED: number;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "docent-bench-faults-"));
  const info = await createOwnServices({
    pgPort: Number(process.env.FAULTS_PG_PORT ?? 55434),
    redisPort: Number(process.env.FAULTS_REDIS_PORT ?? 56381),
    dir,
  });
  const workers: ChildProcess[] = [];
  try {
    const databaseUrl = databaseUrlOf(info);
    const redisUrl = redisUrlOf(info);
    await runMigrations(databaseUrl);
    const database = createDb({ url: databaseUrl, max: 4, applicationName: "bench-faults", connectTimeoutMs: 2000 });
    await ensureCatalog(database.db);
    const storageDir = join(dir, "storage");
    const redis = createRedis(redisUrl, "worker");
    redis.on("error", () => {});
    const queue = createIngestQueue({ connection: redis, prefix: "docent" });
    queue.on("error", () => {});
    const documents = createTestDocuments({
      db: database.db,
      storage: createFsStorage(storageDir),
      queue,
      logger: createLogger({ service: "bench", level: "silent" }),
    });
    const { bot } = await seedTenant(database.db, chunking);

    const started = Date.now();
    for (let i = 0; i < workerCount; i++) {
      const child = spawn(process.execPath, workerStartCommand().slice(1), {
        cwd: join(repoRoot, "apps/worker"),
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          LOG_LEVEL: "info",
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          STORAGE_DRIVER: "fs",
          STORAGE_DIR: storageDir,
          WORKER_OPS_PORT: "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const out = createWriteStream(join(dir, `worker-${i}.log`));
      child.stdout!.pipe(out);
      child.stderr!.pipe(out);
      workers.push(child);
    }

    // The corpus: handbooks of 3 to 17 sections (about 4 to 25 chunks each).
    const docs: { id: string; expectedChunks: number }[] = [];
    const uploadStarted = Date.now();
    for (let i = 0; i < documentCount; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, documentCount - i) }, async (_, k) => {
          const n = i + k;
          const text = handbook(`Manual ${n}`, 3 + (n % 15));
          const expectedChunks = chunkDocument(await extract({ bytes: Buffer.from(text), kind: "markdown" }), chunking).length;
          const doc = await documents.addFile({ botId: bot.id, fileName: `manual-${n}.md`, stream: Readable.from([Buffer.from(text)]) });
          return { id: doc.id, expectedChunks };
        }),
      );
      docs.push(...batch);
    }
    const uploadMs = Date.now() - uploadStarted;
    const expectedTotal = docs.reduce((sum, d) => sum + d.expectedChunks, 0);
    log(`uploaded ${docs.length} documents (${expectedTotal} chunks expected) in ${seconds(uploadMs)} s`);

    const counts = async (): Promise<Counts | undefined> => {
      try {
        const rows = await database.sql<{ status: keyof Counts; n: number }[]>`
          select status, count(*)::int as n from bot_documents where bot_id = ${bot.id} group by status`;
        const c: Counts = { PENDING: 0, PROCESSING: 0, PROCESSED: 0, FAILED: 0 };
        for (const r of rows) c[r.status] = r.n;
        return c;
      } catch {
        return undefined;
      }
    };
    const waitForProcessed = async (share: number) => {
      for (;;) {
        const c = await counts();
        if (c && c.PROCESSED >= share * docs.length) return c;
        if (c && c.PROCESSED + c.FAILED === docs.length) return c;
        await sleep(250);
      }
    };
    const firstProgressAfter = async (processed: number) => {
      const from = Date.now();
      for (;;) {
        const c = await counts();
        if (c && c.PROCESSED > processed) return Date.now() - from;
        if (c && c.PROCESSED + c.FAILED === docs.length) return Date.now() - from;
        await sleep(100);
      }
    };

    const beforePg = await waitForProcessed(1 / 3);
    log(`PostgreSQL stopped with ${beforePg.PROCESSED} processed, ${beforePg.PROCESSING} processing`);
    const pgDown = Date.now();
    await stopPostgres(info);
    await sleep(pgOutageMs);
    await startPostgres(info);
    const pgOutage = Date.now() - pgDown;
    const afterPg = (await counts()) ?? beforePg;
    const pgResumeMs = await firstProgressAfter(afterPg.PROCESSED);
    log(`PostgreSQL back after ${seconds(pgOutage)} s; first document processed ${seconds(pgResumeMs)} s later`);

    const beforeRedis = await waitForProcessed(2 / 3);
    log(`Redis stopped with ${beforeRedis.PROCESSED} processed, ${beforeRedis.PROCESSING} processing`);
    const redisDown = Date.now();
    await stopRedis(info);
    await sleep(redisOutageMs);
    await startRedis(info);
    const redisOutage = Date.now() - redisDown;
    const afterRedis = (await counts()) ?? beforeRedis;
    const redisResumeMs = await firstProgressAfter(afterRedis.PROCESSED);
    log(`Redis back after ${seconds(redisOutage)} s; first document processed ${seconds(redisResumeMs)} s later`);

    const deadline = Date.now() + settleTimeoutMs;
    let final: Counts | undefined;
    for (;;) {
      final = await counts();
      if (final && final.PROCESSED + final.FAILED === docs.length) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    const totalMs = Date.now() - started;
    final ??= { PENDING: 0, PROCESSING: 0, PROCESSED: 0, FAILED: 0 };

    const chunkRows = await database.sql<{ id: string; total: number; distinct: number }[]>`
      select d.id, count(c.id)::int as total, count(distinct c.chunk_index)::int as distinct
        from bot_documents d left join bot_document_chunks c on c.document_id = d.id
       where d.bot_id = ${bot.id} group by d.id`;
    const byId = new Map(chunkRows.map((r) => [r.id, r]));
    const inexact = docs.filter((d) => {
      const r = byId.get(d.id);
      return !r || r.total !== d.expectedChunks || r.distinct !== d.expectedChunks;
    });
    const failed = await database.sql<{ errorMessage: string | null }[]>`
      select error_message as "errorMessage" from bot_documents where bot_id = ${bot.id} and status = 'FAILED'`;
    const jobs = await Promise.all(docs.map((d) => queue.getJob(`${d.id}-v1`)));
    const postponed = jobs.filter((j) => (j?.data as { outage?: unknown } | undefined)?.outage).length;
    const spentAttempts = jobs.filter((j) => (j?.attemptsMade ?? 0) > 1).length;
    const stalled = jobs.filter((j) => (j?.stalledCounter ?? 0) > 0).length;
    const crashed = workers.filter((w) => w.exitCode !== null || w.signalCode !== null).length;
    const manual = docs.length - final.PROCESSED + inexact.filter((d) => byId.get(d.id)).length;

    const result = {
      documents: docs.length,
      expectedTotal,
      uploadMs,
      pgOutage,
      pgResumeMs,
      redisOutage,
      redisResumeMs,
      beforePg,
      beforeRedis,
      final,
      totalMs,
      inexact: inexact.length,
      failedReasons: [...new Set(failed.map((f) => f.errorMessage ?? ""))],
      postponed,
      spentAttempts,
      stalled,
      crashed,
      manual,
    };
    log(JSON.stringify(result, null, 2));
    writeSection(result);
    await queue.close();
    redis.disconnect();
    await database.close();
    if (manual > 0) process.exitCode = 1;
  } finally {
    const exits = workers.map((w) => new Promise((resolve) => (w.exitCode === null ? w.once("exit", resolve) : resolve(null))));
    for (const w of workers) if (w.exitCode === null) w.kill("SIGTERM");
    // The worker's own shutdown deadline is 25 s (SHUTDOWN_TIMEOUT_MS).
    await Promise.race([Promise.all(exits), sleep(30_000)]);
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
    if (process.env.BENCH_KEEP_LOGS) log(`worker logs kept in ${dir}`);
    await destroyOwnServices(info);
    if (!process.env.BENCH_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  }
}

function writeSection(r: {
  documents: number;
  expectedTotal: number;
  uploadMs: number;
  pgOutage: number;
  pgResumeMs: number;
  redisOutage: number;
  redisResumeMs: number;
  beforePg: Counts;
  beforeRedis: Counts;
  final: Counts;
  totalMs: number;
  inexact: number;
  failedReasons: string[];
  postponed: number;
  spentAttempts: number;
  stalled: number;
  crashed: number;
  manual: number;
}) {
  const file = join(repoRoot, "docs/benchmarks.md");
  const start = "<!-- bench:faults -->";
  const end = "<!-- /bench:faults -->";
  const date = new Date().toISOString().slice(0, 10);
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const section = `${start}
## Restarts during ingestion

Reproduce: \`pnpm bench:faults\` (tests/faults/bench/restarts.ts; needs root or password-less
sudo for \`pg_createcluster\`, and \`redis-server\`; it makes and removes its own PostgreSQL
cluster on port 55434 and Redis on 56381). Run ${date} on ${process.platform}/${process.arch}, ${cpu},
${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB, Node ${process.version}, shared with other jobs (timings are noisy).

${r.documents} Markdown documents (${r.expectedTotal} chunks) added as the API adds them
(stored, row, job), ${workerCount} worker processes started with the shipped command
(\`${workerStartCommand().join(" ")}\`) and default settings, local embedder. PostgreSQL was
stopped (fast shutdown: sessions terminated) with ${r.beforePg.PROCESSED} documents processed
and ${r.beforePg.PROCESSING} in progress, and started again ${seconds(r.pgOutage)} s later; Redis
(AOF on, as in compose) was stopped cleanly with ${r.beforeRedis.PROCESSED} processed and
${r.beforeRedis.PROCESSING} in progress, and started again ${seconds(r.redisOutage)} s later.

| measure | result | target |
| --- | --- | --- |
| documents PROCESSED at the end | **${r.final.PROCESSED} of ${r.documents}** (FAILED ${r.final.FAILED}, still pending ${r.final.PENDING + r.final.PROCESSING}) | all |
| documents that needed manual action | **${r.manual}** | 0 |
| documents whose chunks are not exactly those of a clean run (missing, extra, duplicated) | ${r.inexact} | 0 |
| jobs that spent an attempt (BullMQ attemptsMade > 1) | ${r.spentAttempts} | 0 |
| jobs postponed by an outage without spending an attempt | ${r.postponed} | |
| jobs recovered by the stalled-job check | ${r.stalled} | |
| worker processes that died | ${r.crashed} | 0 |
| first document processed after PostgreSQL was back | ${seconds(r.pgResumeMs)} s | |
| first document processed after Redis was back | ${seconds(r.redisResumeMs)} s | |
| upload of all documents / whole run, workers' spawn to last document | ${seconds(r.uploadMs)} s / ${seconds(r.totalMs)} s | |
${r.failedReasons.length ? `\nFailure messages: ${r.failedReasons.map((m) => `"${m}"`).join("; ")}.\n` : ""}
While PostgreSQL is down a job's queries fail as connection errors, which the worker
recognises as an outage: the job is postponed (2 s, 4 s, 8 s ... up to 60 s, BullMQ's
moveToDelayed, which does not count an attempt) and resumes when the database answers;
the row says what it waits for. Redis going away only delays lock renewals and progress
events; the jobs' locks (60 s) outlive a short restart, so they complete where they were.
${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const next =
    current.includes(start) && current.includes(end)
      ? current.slice(0, current.indexOf(start)) + section + current.slice(current.indexOf(end) + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  log(`wrote ${file}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

/**
 * The crawl queue: one job per run of a website source. The API enqueues manual runs and
 * keeps one BullMQ job scheduler per scheduled source (its id is the source's), so the
 * schedule lives in Redis, survives restarts, and each tick makes exactly one job however
 * many workers listen. The worker also refuses to start a second run of a source while one
 * is going (see beginSourceRun in @docent/db/queries/sources).
 */
import { randomUUID } from "node:crypto";
import { type ConnectionOptions, type DefaultJobOptions, Queue, type WorkerOptions } from "bullmq";
import { type CrawlSourcePayload, jobPayloadSchemas, QUEUE_NAMES } from "./jobs";

export type CrawlQueue = Queue<CrawlSourcePayload, unknown, "crawl-source">;
export type CrawlSchedule = "manual" | "hourly" | "daily" | "weekly";

export const SCHEDULE_EVERY_MS: Record<Exclude<CrawlSchedule, "manual">, number> = {
  hourly: 3600_000,
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
};

export const crawlJobOptions: DefaultJobOptions = {
  // A run that fails on a transient error (a database restart) is tried once more a minute
  // later; the next scheduled run comes anyway. Unchanged pages cost a 304 each time.
  attempts: 2,
  backoff: { type: "fixed", delay: 60_000 },
  // The bot_source_runs row is the record; jobs are only plumbing.
  removeOnComplete: { age: 3600, count: 200 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

export function crawlWorkerOptions(concurrency: number): Omit<WorkerOptions, "connection" | "prefix"> {
  return {
    // Few crawls at once per worker: a crawl is mostly waiting on sites and on its
    // per-host request rate, and its pages go to the ingest queue like any upload, so one
    // tenant's large site takes a crawl slot, not the ingest workers.
    concurrency,
    // The crawl renews its lock while it waits on sites; 60 s covers one slow page.
    lockDuration: 60_000,
    stalledInterval: 30_000,
    maxStalledCount: 2,
    autorun: false,
  };
}

export function createCrawlQueue({ connection, prefix = "docent" }: { connection: ConnectionOptions; prefix?: string }): CrawlQueue {
  return new Queue(QUEUE_NAMES.crawl, { connection, prefix, defaultJobOptions: crawlJobOptions }) as CrawlQueue;
}

/** A run now (creation or an admin's click). */
export async function enqueueCrawl(queue: CrawlQueue, payload: CrawlSourcePayload): Promise<{ jobId: string }> {
  const data = jobPayloadSchemas["crawl-source"].parse(payload);
  const jobId = `crawl-${data.sourceId}-${randomUUID()}`;
  await queue.add("crawl-source", data, { jobId });
  return { jobId };
}

export function crawlSchedulerId(sourceId: string): string {
  return `source-${sourceId}`;
}

/**
 * Makes the source's job scheduler match its schedule: one per scheduled source, none for
 * a manual one. Upserting the same id again replaces it, so saving twice makes one.
 */
export async function syncCrawlSchedule(queue: CrawlQueue, sourceId: string, schedule: CrawlSchedule): Promise<Date | null> {
  const id = crawlSchedulerId(sourceId) as "crawl-source";
  if (schedule === "manual") {
    await queue.removeJobScheduler(id);
    return null;
  }
  const every = SCHEDULE_EVERY_MS[schedule];
  const data = jobPayloadSchemas["crawl-source"].parse({ sourceId, trigger: "schedule" });
  // The first scheduled run comes one period after now (creation already crawls once).
  await queue.upsertJobScheduler(id, { every, startDate: Date.now() + every }, { name: "crawl-source", data });
  return nextCrawlAt(schedule);
}

export function nextCrawlAt(schedule: CrawlSchedule, from = Date.now()): Date | null {
  return schedule === "manual" ? null : new Date(from + SCHEDULE_EVERY_MS[schedule]);
}

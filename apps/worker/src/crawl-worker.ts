/**
 * The crawl worker: runs website source crawls from the crawl queue (see
 * @docent/queue/crawl), a few at once, next to the ingest worker in the same process. A
 * crawl only fetches pages and queues their documents; the ingest worker extracts and
 * embeds them. At start it makes sure every scheduled source has its job scheduler (they
 * live in Redis; this repairs a Redis that lost them).
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { listScheduledSources } from "@docent/db/queries/sources";
import { createCrawlQueue, crawlWorkerOptions, crawlSchedulerId, syncCrawlSchedule } from "@docent/queue/crawl";
import { QUEUE_NAMES, type CrawlSourcePayload } from "@docent/queue/jobs";
import { outageRetryPolicy } from "@docent/queue/options";
import { createIngestQueue } from "@docent/queue/producer";
import type { ObjectStorage } from "@docent/storage/types";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { crawlSource, type CrawlDeps } from "./crawl/crawl-source";
import { defaultSitemapLimits, type SitemapLimits } from "./crawl/sitemaps";
import type { CrawlFetchOptions } from "./crawl/fetcher";
import { createLockWatch, wrapProcessor } from "./processors/base";

export interface CrawlWorkerOptions {
  db: Database;
  storage: ObjectStorage;
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  concurrency: number;
  fetch: CrawlFetchOptions;
  hostIntervalMs: number;
  staleAfterMs?: number;
  sitemap?: Partial<SitemapLimits>;
  progressIntervalMs: number;
  /** Pages of one crawl fetched at once; default 4. */
  pagesInFlight?: number;
  outageDeadlineMs: number;
}

export function createCrawlWorker(options: CrawlWorkerOptions) {
  const { logger } = options;
  const shutdown = new AbortController();
  const crawlQueue = createCrawlQueue({ connection: options.redis, prefix: options.queuePrefix });
  const ingestQueue = createIngestQueue({ connection: options.redis, prefix: options.queuePrefix });
  const deps: CrawlDeps = {
    db: options.db,
    storage: options.storage,
    ingestQueue,
    redis: options.redis,
    queuePrefix: options.queuePrefix,
    fetch: options.fetch,
    hostIntervalMs: options.hostIntervalMs,
    staleAfterMs: options.staleAfterMs ?? 10 * 60_000,
    sitemap: { ...defaultSitemapLimits, ...options.sitemap },
    progressIntervalMs: options.progressIntervalMs,
    pagesInFlight: options.pagesInFlight ?? 4,
    shutdownSignal: shutdown.signal,
  };
  const locks = createLockWatch();
  const processor = wrapProcessor(
    { name: "crawl-source", run: (payload, { log }) => crawlSource(deps, payload, log) },
    logger,
    { outage: outageRetryPolicy(options.outageDeadlineMs), locks },
  );
  const worker = new Worker<CrawlSourcePayload>(QUEUE_NAMES.crawl, processor, {
    ...crawlWorkerOptions(options.concurrency),
    connection: options.redis,
    prefix: options.queuePrefix,
  });
  worker.on("error", (error) => logger.error({ err: error }, "crawl worker error"));
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "crawl job attempt failed"));
  worker.on("lockRenewalFailed", (jobIds) => locks.lost(jobIds));
  crawlQueue.on("error", (error) => logger.warn({ err: error }, "crawl queue error"));

  return {
    worker,
    queue: crawlQueue,
    async start() {
      await ensureSchedulers(options.db, crawlQueue, logger).catch((error: unknown) =>
        logger.warn({ err: error }, "checking the sources' job schedulers failed"),
      );
      void worker.run().catch((error: unknown) => logger.error({ err: error }, "crawl worker stopped"));
    },
    async close() {
      shutdown.abort();
      await worker.close();
      await crawlQueue.close();
      await ingestQueue.close();
    },
  };
}

async function ensureSchedulers(db: Database, queue: ReturnType<typeof createCrawlQueue>, logger: Logger): Promise<void> {
  for (const source of await listScheduledSources(db)) {
    if (!(await queue.getJobScheduler(crawlSchedulerId(source.id)))) {
      await syncCrawlSchedule(queue, source.id, source.schedule);
      logger.info({ sourceId: source.id, schedule: source.schedule }, "job scheduler restored");
    }
  }
}

export type CrawlWorker = ReturnType<typeof createCrawlWorker>;

/**
 * The insights worker: runs the daily topic-statistics aggregation from the insights
 * queue (see @docent/queue/insights) next to the ingest worker, and makes sure its job
 * scheduler exists at start (upserting the fixed id keeps one, however many workers).
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { aggregateTopicDay, botsWithQuestionsOn } from "@docent/db/queries/topics";
import { createInsightsQueue, syncTopicStatsSchedule } from "@docent/queue/insights";
import { QUEUE_NAMES, type AggregateTopicStatsPayload } from "@docent/queue/jobs";
import { outageRetryPolicy } from "@docent/queue/options";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createLockWatch, wrapProcessor } from "./processors/base";

export interface InsightsWorkerOptions {
  db: Database;
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  /** ANALYTICS_WEAK_SCORE: a best retrieval score below this is "no good source". */
  weakScore: number;
  /** TOPIC_STATS_DAYS: days each daily run recomputes. */
  days: number;
  outageDeadlineMs: number;
  now?: () => Date;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** `days` UTC days ending at `last` (YYYY-MM-DD), oldest first. */
export function daysEnding(last: string, days: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => isoDay(new Date(end - (days - 1 - i) * 86_400_000)));
}

/** Recomputes every bot's topic statistics for each day; returns the (bot, day) pairs done. */
export async function aggregateTopicStats(
  options: Pick<InsightsWorkerOptions, "db" | "weakScore" | "now">,
  payload: AggregateTopicStatsPayload,
  log?: Logger,
): Promise<number> {
  const now = options.now ?? (() => new Date());
  const last = payload.day ?? isoDay(new Date(now().getTime() - 86_400_000));
  let done = 0;
  for (const day of daysEnding(last, payload.days)) {
    for (const botId of await botsWithQuestionsOn(options.db, day)) {
      const topics = await aggregateTopicDay(options.db, { botId, day, weakScore: options.weakScore });
      log?.debug({ botId, day, topics }, "topic stats recomputed");
      done++;
    }
  }
  return done;
}

export function createInsightsWorker(options: InsightsWorkerOptions) {
  const { logger } = options;
  const queue = createInsightsQueue({ connection: options.redis, prefix: options.queuePrefix });
  const locks = createLockWatch();
  const processor = wrapProcessor(
    {
      name: "aggregate-topic-stats",
      run: async (payload, { log }) => {
        const pairs = await aggregateTopicStats(options, payload, log);
        log.info({ pairs, days: payload.days }, "topic stats aggregated");
        return { pairs };
      },
    },
    logger,
    { outage: outageRetryPolicy(options.outageDeadlineMs), locks },
  );
  const worker = new Worker<AggregateTopicStatsPayload>(QUEUE_NAMES.insights, processor, {
    // One run at a time is plenty: a run is a few indexed aggregates per bot and day.
    concurrency: 1,
    lockDuration: 60_000,
    stalledInterval: 30_000,
    maxStalledCount: 2,
    autorun: false,
    connection: options.redis,
    prefix: options.queuePrefix,
  });
  worker.on("error", (error) => logger.error({ err: error }, "insights worker error"));
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "insights job attempt failed"));
  worker.on("lockRenewalFailed", (jobIds) => locks.lost(jobIds));
  queue.on("error", (error) => logger.warn({ err: error }, "insights queue error"));

  return {
    worker,
    queue,
    async start() {
      await syncTopicStatsSchedule(queue, options.days).catch((error: unknown) =>
        logger.warn({ err: error }, "creating the topic-stats job scheduler failed"),
      );
      void worker.run().catch((error: unknown) => logger.error({ err: error }, "insights worker stopped"));
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

export type InsightsWorker = ReturnType<typeof createInsightsWorker>;

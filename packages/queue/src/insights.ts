/**
 * The insights queue: the daily aggregation of topic statistics. One BullMQ job
 * scheduler (a fixed id, so upserting it at every worker start keeps exactly one) makes a
 * job every day at 00:15 UTC, which recomputes the last TOPIC_STATS_DAYS days for every
 * bot: re-assignments after a topic edit reach back that far, and each (bot, day) is
 * recomputed whole and upserted, so a repeated or overlapping run changes nothing.
 */
import { type ConnectionOptions, type DefaultJobOptions, Queue } from "bullmq";
import { type AggregateTopicStatsPayload, jobPayloadSchemas, QUEUE_NAMES } from "./jobs";

export type InsightsQueue = Queue<AggregateTopicStatsPayload, unknown, "aggregate-topic-stats">;

export const TOPIC_STATS_SCHEDULER_ID = "topic-stats-daily";
/** Just after midnight UTC, when yesterday's questions are all in. */
export const TOPIC_STATS_CRON = "15 0 * * *";

export const insightsJobOptions: DefaultJobOptions = {
  // A failure (a database restart) is tried again a few minutes later; the run is idempotent.
  attempts: 3,
  backoff: { type: "exponential", delay: 60_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100 },
  removeOnFail: { age: 30 * 24 * 3600, count: 100 },
};

export function createInsightsQueue({ connection, prefix = "docent" }: { connection: ConnectionOptions; prefix?: string }): InsightsQueue {
  return new Queue(QUEUE_NAMES.insights, { connection, prefix, defaultJobOptions: insightsJobOptions }) as InsightsQueue;
}

export async function syncTopicStatsSchedule(queue: InsightsQueue, days: number): Promise<void> {
  const data = jobPayloadSchemas["aggregate-topic-stats"].parse({ days });
  await queue.upsertJobScheduler(
    TOPIC_STATS_SCHEDULER_ID as "aggregate-topic-stats",
    { pattern: TOPIC_STATS_CRON, tz: "UTC" },
    { name: "aggregate-topic-stats", data },
  );
}

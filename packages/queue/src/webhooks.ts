/**
 * The webhook delivery queue. A job carries only the outbox row's id; the row
 * (webhook_deliveries) holds the event, the attempt count and the next attempt's time, so
 * the retry schedule lives in Postgres and a lost job is found again by the sweeper. One
 * job per attempt: the worker enqueues the next attempt itself, delayed, after a
 * retryable failure (BullMQ's own attempts stay at 1).
 */
import { type ConnectionOptions, type DefaultJobOptions, Queue, type WorkerOptions } from "bullmq";
import { jobPayloadSchemas, QUEUE_NAMES } from "./jobs";

export type WebhookQueue = Queue<{ deliveryId: string }, unknown, "deliver-webhook">;

export const webhookJobOptions: DefaultJobOptions = {
  attempts: 1,
  // The delivery row is the record; jobs are only plumbing.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 24 * 3600, count: 1000 },
};

export function webhookWorkerOptions(concurrency: number): Omit<WorkerOptions, "connection" | "prefix"> {
  return {
    // Deliveries wait on receivers (up to WEBHOOK_TIMEOUT_MS each), not the CPU: many at
    // once, on their own queue so slow receivers never hold up document processing.
    concurrency,
    lockDuration: 60_000,
    autorun: false,
  };
}

export function createWebhookQueue({ connection, prefix = "docent" }: { connection: ConnectionOptions; prefix?: string }): WebhookQueue {
  return new Queue(QUEUE_NAMES.webhooks, { connection, prefix, defaultJobOptions: webhookJobOptions }) as WebhookQueue;
}

/**
 * Asks for one attempt of a delivery, after `delayMs`. The job id names the delivery and
 * the attempt, so the sweeper and the producer enqueueing the same attempt make one job.
 */
export async function enqueueWebhookDelivery(
  queue: WebhookQueue,
  params: { deliveryId: string; attempt: number; delayMs?: number },
): Promise<void> {
  const data = jobPayloadSchemas["deliver-webhook"].parse({ deliveryId: params.deliveryId });
  await queue.add("deliver-webhook", data, {
    jobId: `wh-${params.deliveryId}-${params.attempt}`,
    ...(params.delayMs && params.delayMs > 0 ? { delay: params.delayMs } : {}),
  });
}

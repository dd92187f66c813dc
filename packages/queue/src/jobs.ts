/**
 * The one place that names queues and jobs and defines their payloads, so the API
 * (producer) and the worker (consumer) cannot drift apart: both import these schemas.
 */
import { z } from "zod";

export const QUEUE_NAMES = {
  /** Document (re)indexing: download, extract, chunk, embed, store. */
  ingest: "docent-ingest",
  /** Evaluation runs: score a bot's evaluation set (produced and consumed by the chat service). */
  evals: "docent-evals",
  /** Website source crawls: one job per run of a source (manual or from its job scheduler). */
  crawl: "docent-crawl",
  /** Conversation insights: the daily topic statistics (one job scheduler, UTC). */
  insights: "docent-insights",
  /** Webhook deliveries: one job per attempt of one outbox row (webhook_deliveries). */
  webhooks: "docent-webhooks",
  /** Housekeeping on job schedulers: the webhook sweeper, the error log's retention. */
  maintenance: "docent-maintenance",
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const jobPayloadSchemas = {
  "ingest-document": z.object({
    documentId: z.uuid(),
    botId: z.uuid(),
    workspaceId: z.uuid(),
    /** The document's `version` when the job was made; an older job is dropped as stale. */
    version: z.number().int().min(1),
    /**
     * The id of the HTTP request that queued the job (x-request-id), on every log line of
     * the job, so a failed document can be followed back to its upload. Absent on jobs the
     * worker's reaper queues.
     */
    requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional(),
  }),
  "eval-run": z.object({
    runId: z.uuid(),
    botId: z.uuid(),
  }),
  "crawl-source": z.object({
    sourceId: z.uuid(),
    /** What started the run: the source's creation, an admin, or its schedule. */
    trigger: z.enum(["create", "manual", "schedule"]),
    requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional(),
  }),
  "aggregate-topic-stats": z.object({
    /** The last UTC day to recompute; absent: yesterday (the scheduler's daily run). */
    day: z.iso.date().optional(),
    /** Days recomputed, ending at `day`: topics edited since re-assign up to 30 days back. */
    days: z.number().int().min(1).max(90).default(1),
  }),
  "deliver-webhook": z.object({ deliveryId: z.uuid() }),
  /** Re-enqueues outbox rows whose job was lost (Redis down when the event happened). */
  "sweep-webhooks": z.object({}),
  /** Deletes error_logs rows older than ERROR_LOG_RETENTION_DAYS. */
  "prune-error-logs": z.object({}),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;
export type IngestDocumentPayload = JobPayload<"ingest-document">;
export type EvalRunPayload = JobPayload<"eval-run">;
export type CrawlSourcePayload = JobPayload<"crawl-source">;
export type AggregateTopicStatsPayload = JobPayload<"aggregate-topic-stats">;

/**
 * One job per (document, version). BullMQ ignores an `add` whose id already exists, so a
 * double click makes one job, while a re-index (which bumps the version) is never
 * swallowed by the completed job of an earlier version. BullMQ rejects ':' in custom
 * ids, hence the dash.
 */
export function ingestJobId(documentId: string, version: number): string {
  return `${documentId}-v${version}`;
}

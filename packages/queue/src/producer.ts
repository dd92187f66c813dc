/** Producer side: the ingest queue and the one function that enqueues (re)index jobs. */
import { Queue, type ConnectionOptions } from "bullmq";
import { ingestJobId, jobPayloadSchemas, QUEUE_NAMES, type IngestDocumentPayload } from "./jobs";
import { ingestJobOptions } from "./options";

export type IngestQueue = Queue<IngestDocumentPayload, unknown, "ingest-document">;

export interface CreateQueueOptions {
  connection: ConnectionOptions;
  /** Redis key prefix; tests use a unique one per file. */
  prefix?: string;
}

export function createIngestQueue({ connection, prefix = "docent" }: CreateQueueOptions): IngestQueue {
  return new Queue(QUEUE_NAMES.ingest, {
    connection,
    prefix,
    defaultJobOptions: ingestJobOptions,
  }) as IngestQueue;
}

/**
 * Enqueues the (re)index of one document version. Adding the same (document, version)
 * twice makes one job: BullMQ keeps the first and ignores the second.
 */
export async function enqueueIngest(
  queue: IngestQueue,
  payload: IngestDocumentPayload,
  options: { priority?: number } = {},
): Promise<{ jobId: string }> {
  const data = jobPayloadSchemas["ingest-document"].parse(payload);
  const jobId = ingestJobId(data.documentId, data.version);
  await queue.add("ingest-document", data, { jobId, ...(options.priority ? { priority: options.priority } : {}) });
  return { jobId };
}

/**
 * The priority of pages a crawl queues. BullMQ takes jobs without a priority first, so a
 * crawl of a large site never holds another tenant's upload (or this one's) behind its
 * pages; pages of crawls still go first come, first served among themselves.
 */
export const CRAWLED_PAGE_PRIORITY = 10;

/** Enqueues many at once in one round trip (re-index all). */
export async function enqueueIngestBulk(
  queue: IngestQueue,
  payloads: IngestDocumentPayload[],
): Promise<void> {
  if (payloads.length === 0) return;
  await queue.addBulk(
    payloads.map((payload) => {
      const data = jobPayloadSchemas["ingest-document"].parse(payload);
      return {
        name: "ingest-document" as const,
        data,
        opts: { jobId: ingestJobId(data.documentId, data.version) },
      };
    }),
  );
}

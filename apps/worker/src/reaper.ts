/**
 * Safety net for documents stuck in PENDING or PROCESSING whose job no longer exists
 * (Redis lost it, an enqueue failed after the row was written, a failure was never
 * recorded because the process died). Stalled-job recovery covers the usual crash; this
 * covers the rest. Re-enqueueing is idempotent (the job id is the document version), so
 * several worker replicas running the reaper at once do no harm.
 */
import type { Logger } from "@docent/config/logger";
import { enqueueIngest, type IngestQueue } from "@docent/queue/producer";
import { ingestJobId } from "@docent/queue/jobs";
import type postgres from "postgres";
import { recordDocumentFailure } from "./processors/failure";
import type { Redis } from "ioredis";

export interface ReaperDeps {
  sql: postgres.Sql;
  queue: IngestQueue;
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  staleAfterMs: number;
}

export interface ReapResult {
  requeued: number;
  failed: number;
}

export async function reapStuckDocuments(deps: ReaperDeps): Promise<ReapResult> {
  const stuck = await deps.sql<
    { id: string; botId: string; workspaceId: string; version: number; status: string }[]
  >`
    select d.id, d.bot_id as "botId", b.workspace_id as "workspaceId", d.version, d.status
      from bot_documents d join bots b on b.id = d.bot_id
     where d.status in ('PENDING', 'PROCESSING')
       and d.updated_at < now() - make_interval(secs => ${deps.staleAfterMs / 1000})
     order by d.updated_at
     limit 200`;
  const result: ReapResult = { requeued: 0, failed: 0 };
  for (const doc of stuck) {
    const job = await deps.queue.getJob(ingestJobId(doc.id, doc.version));
    const state = job ? await job.getState() : "missing";
    const log = deps.logger.child({ documentId: doc.id, version: doc.version, jobState: state });
    if (state === "failed") {
      await recordDocumentFailure(
        deps,
        { documentId: doc.id, botId: doc.botId, version: doc.version },
        { final: true, message: job?.failedReason || "Processing failed.", attempt: 0, maxAttempts: 0 },
        log,
      );
      result.failed++;
      continue;
    }
    if (state === "missing" || state === "unknown" || state === "completed") {
      // A completed job for a document still in progress means its result was lost;
      // the finished job must go, or BullMQ would ignore the new one with the same id.
      if (job && state === "completed") await job.remove().catch(() => {});
      await enqueueIngest(deps.queue, {
        documentId: doc.id,
        botId: doc.botId,
        workspaceId: doc.workspaceId,
        version: doc.version,
      });
      await deps.sql`update bot_documents set updated_at = now() where id = ${doc.id} and version = ${doc.version}`;
      log.warn("document was stuck without a job; re-enqueued");
      result.requeued++;
    }
  }
  return result;
}

/** Runs the reaper every `intervalMs` until stopped; a failing pass is logged, not fatal. */
export function startReaper(deps: ReaperDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = reapStuckDocuments(deps).catch((error: unknown) =>
      deps.logger.error({ err: error }, "reaper pass failed"),
    );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Safety net, run periodically by every worker process:
 *
 * - documents stuck in PENDING or PROCESSING whose job no longer exists (Redis lost it,
 *   an enqueue failed after the row was written, a failure was never recorded because
 *   the process died) are queued again, or marked FAILED when their job failed;
 * - documents FAILED by a dependency outage that outlasted the worker's deadline are
 *   queued again once that dependency answers (the reason is written on the row);
 * - deleted documents whose removal did not finish (the API process died, storage was
 *   down) are removed.
 *
 * Re-enqueueing is idempotent (the job id is the document version), so several worker
 * replicas running the reaper at once do no harm.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import {
  listOutageFailures,
  listStaleDocuments,
  requeueOutageFailure,
  touchDocument,
} from "@docent/db/queries/bot-documents";
import { purgeDeletedDocument } from "@docent/db/queries/documents";
import { enqueueIngest, type IngestQueue } from "@docent/queue/producer";
import { ingestJobId } from "@docent/queue/jobs";
import type { Dependency } from "@docent/service-kit/dependency-errors";
import type { ObjectStorage } from "@docent/storage";
import type postgres from "postgres";
import type { Redis } from "ioredis";
import { dependencyNoun } from "./processors/base";
import { recordDocumentFailure } from "./processors/failure";
import type { EmbedderLike } from "./pipeline/embed";

/** Documents looked at per sweep; the rest wait for the next pass. */
const BATCH = 200;

export interface ReaperDeps {
  db: Database;
  sql: postgres.Sql;
  storage: ObjectStorage;
  queue: IngestQueue;
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  staleAfterMs: number;
  /** The embedder a workspace's documents use, to ask whether it answers again. */
  embedderFor: (workspaceId: string) => Promise<EmbedderLike>;
}

export interface ReapResult {
  requeued: number;
  failed: number;
  /** FAILED-by-outage documents queued again because their dependency answers. */
  retried: number;
  /** Deleted documents removed. */
  purged: number;
}

export async function reapStuckDocuments(deps: ReaperDeps): Promise<ReapResult> {
  const result: ReapResult = { requeued: 0, failed: 0, retried: 0, purged: 0 };
  const stuck = await listStaleDocuments(deps.db, { staleAfterMs: deps.staleAfterMs, limit: BATCH });
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
      await touchDocument(deps.db, { documentId: doc.id, version: doc.version });
      log.warn("document was stuck without a job; re-enqueued");
      result.requeued++;
    }
  }
  result.retried = await retryOutageFailures(deps);
  result.purged = await purgeDeletions(deps);
  return result;
}

/** Whether `dependency` answers now; the reaper reached the database and Redis already. */
async function answers(deps: ReaperDeps, dependency: Dependency, workspaceId: string): Promise<boolean> {
  try {
    if (dependency === "redis") await deps.redis.ping();
    if (dependency === "storage") await deps.storage.head("docent-availability-check");
    if (dependency === "embedding") await (await deps.embedderFor(workspaceId)).embed(["availability check"]);
    return true;
  } catch {
    return false;
  }
}

async function retryOutageFailures(deps: ReaperDeps): Promise<number> {
  const failed = await listOutageFailures(deps.db, { limit: BATCH });
  const available = new Map<string, boolean>();
  let retried = 0;
  for (const row of failed) {
    // Written only from a job's outage (see processors/failure.ts), so always a Dependency.
    const doc = { ...row, dependency: row.dependency as Dependency };
    const key = doc.dependency === "embedding" ? `embedding:${doc.workspaceId}` : doc.dependency;
    if (!available.has(key)) available.set(key, await answers(deps, doc.dependency, doc.workspaceId));
    if (!available.get(key)) continue;
    const reason = `Processing again: ${dependencyNoun(doc.dependency)} answers again after the outage that failed this document.`;
    // Back to PROCESSING (not PENDING), like a retry: the month's processing-job count
    // already includes this version.
    if (!(await requeueOutageFailure(deps.db, { documentId: doc.id, version: doc.version, reason }))) continue;
    const previous = await deps.queue.getJob(ingestJobId(doc.id, doc.version));
    await previous?.remove().catch(() => {});
    await enqueueIngest(deps.queue, { documentId: doc.id, botId: doc.botId, workspaceId: doc.workspaceId, version: doc.version });
    deps.logger.warn({ documentId: doc.id, version: doc.version, dependency: doc.dependency }, "document failed by an outage queued again; the dependency answers");
    retried++;
  }
  return retried;
}

async function purgeDeletions(deps: ReaperDeps): Promise<number> {
  const pending = await deps.sql<{ documentId: string }[]>`
    select document_id as "documentId" from bot_document_deletions order by requested_at limit 200`;
  let purged = 0;
  for (const { documentId } of pending) {
    const log = deps.logger.child({ documentId });
    try {
      // A worker committing this document holds its row; it finishes the deletion itself.
      const outcome = await purgeDeletedDocument({ db: deps.db, storage: deps.storage, logger: log }, documentId, {
        lockTimeoutMs: 500,
      });
      if (outcome === "purged") {
        purged++;
        log.info("deleted document removed by the reaper");
      }
    } catch (error) {
      log.warn({ err: error }, "removing a deleted document failed; retried on the next pass");
    }
  }
  return purged;
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

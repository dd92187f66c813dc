/**
 * The ingest-document job: accept -> download -> extract -> chunk -> embed -> store. This
 * module runs the steps (pipeline/*) in order, with the checks between them.
 *
 * - Accepting the job claims the document row for this run (see pipeline/accept.ts): a
 *   run whose job was handed to another worker meanwhile (its lock lapsed) finds the
 *   claim gone at its next checkpoint and stops without writing.
 * - A document deleted while it is processed is removed by this job at its next
 *   checkpoint (row, chunks, stored objects), since DELETE does not wait for the commit.
 * - Encoded rows are spooled to a temporary file; the commit then replaces the document's
 *   chunks and flips it to PROCESSED in one transaction (see pipeline/store.ts).
 * - The workspace's plan bounds each document (see pipeline/limits.ts): an attempt that
 *   runs longer than its processing time is stopped (the PDF parser thread too) and fails
 *   with the reason.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { isDeletionRecorded } from "@docent/db/queries/document-deletions";
import { getProcessingLimits, type ProcessingLimits } from "@docent/db/queries/usage";
import { purgeDeletedDocument } from "@docent/db/queries/documents";
import type { IngestDocumentPayload } from "@docent/queue/jobs";
import { announceDocumentStatus } from "@docent/queue/status";
import type { ObjectStorage } from "@docent/storage/types";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import type { IngestStage, WorkerMetrics } from "../metrics";
import { acceptJob, type AcceptedDocument } from "../pipeline/accept";
import { recordUsageAsyncCommit } from "@docent/db/queries/usage-metrics";
import type { WebhookEmitter } from "@docent/service-kit/webhooks";
import { resolveTextSearchConfig } from "../pipeline/copy-chunks";
import { download, takeBytes, type Downloaded, type DownloadDeps } from "../pipeline/download";
import { embedChunks, type EmbedderLike } from "../pipeline/embed";
import { LockLostError, PermanentDocumentError, ReleaseJobError, StaleJobError } from "../pipeline/errors";
import { chunkStream } from "../pipeline/extract";
import { processingDeadline, tooSlow } from "../pipeline/limits";
import { createProgressReporter } from "../pipeline/progress";
import { TupleSpool } from "../pipeline/spool";
import { commitChunks } from "../pipeline/store";

export interface IngestDeps {
  db: Database;
  sql: postgres.Sql;
  storage: ObjectStorage;
  redis: Redis;
  queuePrefix: string;
  /** The platform embedder (from env). */
  embedder: EmbedderLike;
  /**
   * Per-workspace embedder (BYOK settings); when unset, or when it resolves undefined,
   * the platform embedder is used.
   */
  embedderFor?: (workspaceId: string) => Promise<EmbedderLike | undefined>;
  logger: Logger;
  embedBatchSize: number;
  progressIntervalMs: number;
  fetchOptions: DownloadDeps["fetchOptions"];
  /** Aborted on SIGTERM: the job is handed back to the queue at the next checkpoint. */
  shutdownSignal: AbortSignal;
  /** Stage durations and chunk counts (docent_ingest_stage_duration_seconds, ...). */
  metrics?: Pick<WorkerMetrics, "stage" | "chunks">;
  /** Sends `document.processed` / `document.failed` to the workspace's webhooks; none when unset. */
  webhooks?: WebhookEmitter;
}

export type IngestResult =
  | { status: "processed"; chunks: number; embedded: number; reused: number }
  | { status: "skipped"; reason: string };

/** One run of a job: one attempt, by one worker. */
export interface IngestRun {
  /** Claimed on the document row when the run starts (bot_documents.ingest_run_id). */
  id: string;
  /** Aborted when BullMQ could not renew the job's lock: another worker may own it. */
  lockLost: AbortSignal;
}

/** Stops at a safe point when the job's lock was lost, the worker is stopping, or the plan's time is up. */
function checkpoint(deps: IngestDeps, run: IngestRun, deadline?: AbortSignal) {
  if (run.lockLost.aborted) throw new LockLostError();
  if (deps.shutdownSignal.aborted) throw new ReleaseJobError();
  deadline?.throwIfAborted();
}

/** Removes a document whose deletion was recorded while this job held it. */
async function finishDeletion(deps: IngestDeps, documentId: string, log: Logger): Promise<void> {
  try {
    const outcome = await purgeDeletedDocument({ db: deps.db, storage: deps.storage, logger: log }, documentId);
    log.info({ outcome }, "document was deleted during processing; removed");
  } catch (error) {
    log.warn({ err: error }, "removing the deleted document failed; the reaper retries");
  }
}

export async function processIngestDocument(
  deps: IngestDeps,
  payload: IngestDocumentPayload,
  log: Logger,
  run: IngestRun,
): Promise<IngestResult> {
  const accepted = await acceptJob(deps.db, payload, run.id);
  if ("skipped" in accepted) {
    log.info({ reason: accepted.skipped }, "stale job dropped");
    if (accepted.deleted) await finishDeletion(deps, payload.documentId, log);
    return { status: "skipped", reason: accepted.skipped };
  }
  const doc = accepted;
  const plan = await getProcessingLimits(deps.db, doc.workspaceId);
  const deadline = processingDeadline(plan);
  try {
    return await processAccepted(deps, payload, doc, log, run, { plan, deadline });
  } catch (error) {
    const handedOver = error instanceof StaleJobError || error instanceof ReleaseJobError || error instanceof LockLostError;
    if (plan && deadline?.aborted && !handedOver) {
      log.warn({ limitSeconds: plan.maxDocProcessingSeconds, plan: plan.planName }, "processing time limit reached");
      throw tooSlow(plan, error);
    }
    throw error;
  }
}

async function processAccepted(
  deps: IngestDeps,
  payload: IngestDocumentPayload,
  doc: AcceptedDocument,
  log: Logger,
  run: IngestRun,
  limits: { plan: ProcessingLimits | null; deadline: AbortSignal | undefined },
): Promise<IngestResult> {
  const { deadline } = limits;
  const progress = createProgressReporter({
    db: deps.db,
    redis: deps.redis,
    prefix: deps.queuePrefix,
    logger: log,
    document: { id: doc.id, botId: doc.botId, version: payload.version, runId: run.id },
    intervalMs: deps.progressIntervalMs,
  });
  const embedder = (await deps.embedderFor?.(doc.workspaceId)) ?? deps.embedder;
  const model = embedder.id;

  const spool = new TupleSpool();
  let source: Downloaded | undefined;
  let committed = false;
  try {
    await progress.report("download", 2, { force: true });
    let stageStarted = performance.now();
    const stageDone = (stage: IngestStage) => {
      deps.metrics?.stage(stage, (performance.now() - stageStarted) / 1000);
      stageStarted = performance.now();
    };
    source = await download(deps, doc, deadline);
    stageDone("download");
    checkpoint(deps, run, deadline);
    const oid = await resolveTextSearchConfig(deps.sql, doc.language, log);

    await progress.report("extract", 8);
    await spool.open();
    const stream = await chunkStream(
      takeBytes(source),
      source.kind,
      source.sourceUrl ?? doc.sourceUrl ?? undefined,
      { chunkSize: doc.chunkSize, chunkOverlap: doc.chunkOverlap },
      progress,
      limits,
    );
    stageDone("extract");
    const { embedded, reused, embedSeconds } = await embedChunks({
      sql: deps.sql,
      embedder,
      document: { id: doc.id, botId: doc.botId, mayReuse: doc.chunkCount > 0 },
      stream,
      batchSize: deps.embedBatchSize,
      regconfigOid: oid,
      spool,
      progress,
      checkpoint: () => checkpoint(deps, run, deadline),
      deadline,
    });
    await spool.finish();
    deps.metrics?.stage("embed", embedSeconds);
    if (spool.count === 0) {
      throw new PermanentDocumentError("No text could be extracted from this document.");
    }
    checkpoint(deps, run, deadline);

    await progress.report("store", 92, { force: true });
    stageStarted = performance.now();
    const { previousStorageKey } = await commitChunks(deps.sql, {
      documentId: doc.id,
      version: payload.version,
      runId: run.id,
      tuples: spool.read(),
      chunkCount: spool.count,
      source: source.source,
    });
    committed = true;
    stageDone("store");
    deps.metrics?.chunks(embedded, reused);
    if (previousStorageKey) {
      await deps.storage.delete(previousStorageKey).catch((error: unknown) => {
        log.warn({ err: error }, "previous stored original not deleted");
      });
    }
    // A deletion recorded while the commit ran: the commit saw none, so finish it now.
    if (await isDeletionRecorded(deps.db, doc.id)) {
      await finishDeletion(deps, doc.id, log);
      return { status: "skipped", reason: "deleted" };
    }
    await announceDocumentStatus(deps.redis, deps.queuePrefix, {
      id: doc.id,
      botId: doc.botId,
      version: payload.version,
      status: "PROCESSED",
      stage: null,
      progress: 100,
      chunkCount: spool.count,
      errorMessage: null,
    });
    log.info({ chunks: spool.count, embedded, reused, model }, "document processed");
    // Bookkeeping after the commit: neither may fail the processed document.
    await recordUsageAsyncCommit(deps.db, {
      workspaceId: doc.workspaceId,
      botId: doc.botId,
      metrics: { documents_embedded: 1, chunks_embedded: embedded },
    }).catch((error: unknown) => log.warn({ err: error }, "daily usage not recorded"));
    await deps.webhooks?.emit({
      workspaceId: doc.workspaceId,
      type: "document.processed",
      data: { documentId: doc.id, botId: doc.botId, name: doc.name, version: payload.version, chunkCount: spool.count },
    });
    return { status: "processed", chunks: spool.count, embedded, reused };
  } catch (error) {
    // A fetched URL stored by this run is not referenced by the row: remove it.
    if (!committed && source?.source) await deps.storage.delete(source.source.storageKey).catch(() => {});
    if (error instanceof StaleJobError) {
      log.info({ reason: error.reason }, "stale job dropped");
      if (error.reason === "deleted") await finishDeletion(deps, doc.id, log);
      return { status: "skipped", reason: error.reason };
    }
    throw error;
  } finally {
    await spool.dispose();
  }
}

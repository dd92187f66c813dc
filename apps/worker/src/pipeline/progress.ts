/**
 * Stage and percentage reporting for one document: written to the row (so lists show
 * it) and published on the bot's status channel (so open admin pages update live).
 * Writes are throttled; a stage change always goes out. Every write doubles as a
 * checkpoint: if the document was deleted, re-indexed, or claimed by another run of the
 * job (this worker lost its lock), the write changes nothing and the job stops early.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { getDocumentClaim, recordDocumentProgress, type DocumentStage } from "@docent/db/queries/bot-documents";
import { announceDocumentStatus } from "@docent/queue/status";
import type { Redis } from "ioredis";
import { LockLostError, StaleJobError } from "./errors";

/** The stages a run reports (`queued` is the reaper's, before a run starts). */
export type Stage = Exclude<DocumentStage, "queued">;

export interface ProgressReporter {
  report(stage: Stage, progress: number, options?: { force?: boolean }): Promise<void>;
}

export interface RunningDocument {
  id: string;
  botId: string;
  version: number;
  /** This run's claim on the row (bot_documents.ingest_run_id). */
  runId: string;
}

/** Why a write guarded by `document` changed nothing: the error that stops the job. */
export async function whyNotCurrent(db: Database, document: RunningDocument): Promise<Error> {
  const row = await getDocumentClaim(db, document.id);
  if (!row || row.deleted) return new StaleJobError("deleted");
  if (row.version !== document.version) return new StaleJobError("superseded");
  if (row.status !== "PROCESSING") return new StaleJobError("finished");
  if (row.runId !== document.runId) return new LockLostError();
  return new StaleJobError("superseded");
}

export function createProgressReporter(deps: {
  db: Database;
  redis: Redis;
  prefix: string;
  logger: Logger;
  document: RunningDocument;
  intervalMs: number;
}): ProgressReporter {
  const { db, document } = deps;
  let lastStage: Stage | undefined;
  let lastProgress = -1;
  let lastWrite = 0;

  return {
    async report(stage, rawProgress, options = {}) {
      const progress = Math.max(0, Math.min(99, Math.round(rawProgress)));
      const now = Date.now();
      const due = stage !== lastStage || options.force || now - lastWrite >= deps.intervalMs;
      if (!due || (stage === lastStage && progress === lastProgress && !options.force)) return;
      lastStage = stage;
      lastProgress = progress;
      lastWrite = now;
      const row = await recordDocumentProgress(
        db,
        { documentId: document.id, version: document.version, runId: document.runId },
        { stage, progress },
      );
      if (!row) throw await whyNotCurrent(db, document);
      await announceDocumentStatus(
        deps.redis,
        deps.prefix,
        { ...document, status: "PROCESSING", stage, progress, chunkCount: row.chunkCount, errorMessage: null },
        (error) => deps.logger.warn({ err: error }, "status publish failed"),
      );
    },
  };
}

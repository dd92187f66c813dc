/**
 * Stage and percentage reporting for one document: written to the row (so lists show
 * it) and published on the bot's status channel (so open admin pages update live).
 * Writes are throttled; a stage change always goes out. Every write doubles as a
 * checkpoint: if the document was deleted, re-indexed, or claimed by another run of the
 * job (this worker lost its lock), the write changes nothing and the job stops early.
 */
import type { Logger } from "@docent/config/logger";
import { announceDocumentStatus } from "@docent/queue/status";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { LockLostError, StaleJobError } from "./errors";

export type Stage = "download" | "extract" | "chunk" | "embed" | "store";

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
export async function whyNotCurrent(sql: postgres.Sql, document: RunningDocument): Promise<Error> {
  const [row] = await sql<{ version: number; status: string; runId: string | null; deleted: boolean }[]>`
    select version, status, ingest_run_id as "runId",
           exists (select 1 from bot_document_deletions where document_id = ${document.id}) as deleted
      from bot_documents where id = ${document.id}`;
  if (!row || row.deleted) return new StaleJobError("deleted");
  if (row.version !== document.version) return new StaleJobError("superseded");
  if (row.status !== "PROCESSING") return new StaleJobError("finished");
  if (row.runId !== document.runId) return new LockLostError();
  return new StaleJobError("superseded");
}

export function createProgressReporter(deps: {
  sql: postgres.Sql;
  redis: Redis;
  prefix: string;
  logger: Logger;
  document: RunningDocument;
  intervalMs: number;
}): ProgressReporter {
  const { sql, document } = deps;
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
      const rows = await sql<{ chunkCount: number }[]>`
        update bot_documents
           set stage = ${stage}, progress = ${progress}, updated_at = now()
         where id = ${document.id} and version = ${document.version} and status = 'PROCESSING'
           and ingest_run_id = ${document.runId}
           and not exists (select 1 from bot_document_deletions where document_id = ${document.id})
     returning chunk_count as "chunkCount"`;
      if (rows.length === 0) throw await whyNotCurrent(sql, document);
      await announceDocumentStatus(
        deps.redis,
        deps.prefix,
        { ...document, status: "PROCESSING", stage, progress, chunkCount: rows[0]!.chunkCount, errorMessage: null },
        (error) => deps.logger.warn({ err: error }, "status publish failed"),
      );
    },
  };
}

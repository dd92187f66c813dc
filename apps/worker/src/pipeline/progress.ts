/**
 * Stage and percentage reporting for one document: written to the row (so lists show
 * it) and published on the bot's status channel (so open admin pages update live).
 * Writes are throttled; a stage change always goes out. Every write doubles as a
 * staleness check: if the row is gone or its version moved on, the job stops early.
 */
import type { Logger } from "@docent/config/logger";
import { publishDocumentStatus } from "@docent/queue/status";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { StaleJobError } from "./errors";

export type Stage = "download" | "extract" | "chunk" | "embed" | "store";

export interface ProgressReporter {
  report(stage: Stage, progress: number, options?: { force?: boolean }): Promise<void>;
}

export function createProgressReporter(deps: {
  sql: postgres.Sql;
  redis: Redis;
  prefix: string;
  logger: Logger;
  document: { id: string; botId: string; version: number };
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
     returning chunk_count as "chunkCount"`;
      if (rows.length === 0) throw new StaleJobError("superseded");
      try {
        await publishDocumentStatus(deps.redis, deps.prefix, {
          documentId: document.id,
          botId: document.botId,
          version: document.version,
          status: "PROCESSING",
          stage,
          progress,
          chunkCount: rows[0]!.chunkCount,
          errorMessage: null,
        });
      } catch (error) {
        deps.logger.warn({ err: error }, "status publish failed");
      }
    },
  };
}

/** Writes a failed attempt onto the document row and publishes it. */
import type { Logger } from "@docent/config/logger";
import { publishDocumentStatus } from "@docent/queue/status";
import type { Redis } from "ioredis";
import type postgres from "postgres";

export async function recordDocumentFailure(
  deps: { sql: postgres.Sql; redis: Redis; queuePrefix: string },
  document: { documentId: string; botId: string; version: number },
  failure: { final: boolean; message: string; attempt: number; maxAttempts: number },
  log: Logger,
): Promise<void> {
  const message = failure.final
    ? failure.message
    : `Attempt ${failure.attempt} of ${failure.maxAttempts} failed (${failure.message}); retrying.`;
  // Only the current version's row is touched; a newer re-index owns the row now.
  const rows = failure.final
    ? await deps.sql<{ progress: number; chunkCount: number }[]>`
        update bot_documents
           set status = 'FAILED', stage = null, error_message = ${message}, updated_at = now()
         where id = ${document.documentId} and version = ${document.version}
           and status in ('PENDING', 'PROCESSING')
     returning progress, chunk_count as "chunkCount"`
    : await deps.sql<{ progress: number; chunkCount: number }[]>`
        update bot_documents set error_message = ${message}, updated_at = now()
         where id = ${document.documentId} and version = ${document.version} and status = 'PROCESSING'
     returning progress, chunk_count as "chunkCount"`;
  const row = rows[0];
  if (!row) return;
  log.info({ final: failure.final }, "failure recorded on document");
  await publishDocumentStatus(deps.redis, deps.queuePrefix, {
    documentId: document.documentId,
    botId: document.botId,
    version: document.version,
    status: failure.final ? "FAILED" : "PROCESSING",
    stage: null,
    progress: row.progress,
    chunkCount: row.chunkCount,
    errorMessage: message,
  }).catch(() => {});
}

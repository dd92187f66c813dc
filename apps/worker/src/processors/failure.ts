/**
 * Writes a failed attempt, or a wait for a dependency, onto the document row and
 * publishes it. Only the job's own version is touched: a newer re-index owns the row.
 */
import type { Logger } from "@docent/config/logger";
import { announceDocumentStatus } from "@docent/queue/status";
import type { Dependency } from "@docent/service-kit/dependency-errors";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { dependencyNoun } from "./base";

type Deps = { sql: postgres.Sql; redis: Redis; queuePrefix: string };
type DocumentRef = { documentId: string; botId: string; version: number };

async function publishRow(
  deps: Deps,
  document: DocumentRef,
  row: { progress: number; chunkCount: number },
  status: "PROCESSING" | "FAILED",
  message: string,
) {
  await announceDocumentStatus(deps.redis, deps.queuePrefix, {
    id: document.documentId,
    botId: document.botId,
    version: document.version,
    status,
    stage: null,
    ...row,
    errorMessage: message,
  });
}

export async function recordDocumentFailure(
  deps: Deps,
  document: DocumentRef,
  failure: { final: boolean; message: string; attempt: number; maxAttempts: number; outage?: Dependency },
  log: Logger,
): Promise<void> {
  const message = failure.final
    ? failure.message
    : `Attempt ${failure.attempt} of ${failure.maxAttempts} failed (${failure.message}); retrying.`;
  const rows = failure.final
    ? await deps.sql<{ progress: number; chunkCount: number }[]>`
        update bot_documents
           set status = 'FAILED', stage = null, error_message = ${message},
               outage_dependency = ${failure.outage ?? null}, updated_at = now()
         where id = ${document.documentId} and version = ${document.version}
           and status in ('PENDING', 'PROCESSING')
     returning progress, chunk_count as "chunkCount"`
    : await deps.sql<{ progress: number; chunkCount: number }[]>`
        update bot_documents set error_message = ${message}, updated_at = now()
         where id = ${document.documentId} and version = ${document.version} and status = 'PROCESSING'
     returning progress, chunk_count as "chunkCount"`;
  const row = rows[0];
  if (!row) return;
  log.info({ final: failure.final, outage: failure.outage }, "failure recorded on document");
  await publishRow(deps, document, row, failure.final ? "FAILED" : "PROCESSING", message);
}

/** Tells the document's owner that processing waits for a dependency, not that it failed. */
export async function recordOutageWait(
  deps: Deps,
  document: DocumentRef,
  wait: { dependency: Dependency; since: Date },
): Promise<void> {
  const message = `Waiting for ${dependencyNoun(wait.dependency)}, unreachable since ${wait.since.toISOString()}; processing resumes automatically once it answers.`;
  const rows = await deps.sql<{ progress: number; chunkCount: number }[]>`
    update bot_documents set error_message = ${message}, updated_at = now()
     where id = ${document.documentId} and version = ${document.version} and status = 'PROCESSING'
 returning progress, chunk_count as "chunkCount"`;
  if (rows[0]) await publishRow(deps, document, rows[0], "PROCESSING", message);
}

/**
 * Accepting an ingest job, in one transaction with the document row locked: a job whose
 * document was deleted or re-indexed (version moved on), or is already finished, is
 * dropped; the first acceptance of a version flips the row to PROCESSING and counts one
 * processing job for the workspace's month. Every run claims the row (ingest_run_id).
 */
import type { Database } from "@docent/db/client";
import { claimDocumentRun, lockDocumentForIngest, startDocumentProcessing } from "@docent/db/queries/bot-documents";
import { incrementUsage } from "@docent/db/queries/usage";
import type { IngestDocumentPayload } from "@docent/queue/jobs";

export interface AcceptedDocument {
  id: string;
  botId: string;
  workspaceId: string;
  name: string;
  sourceType: string;
  sourceUrl: string | null;
  storageKey: string | null;
  sizeBytes: number;
  chunkCount: number;
  language: string;
  chunkSize: number;
  chunkOverlap: number;
}

export type Rejection = { skipped: string; deleted?: true };

/**
 * Locks the row, checks the job is current, marks the document PROCESSING and claims it
 * for this run.
 */
export async function acceptJob(
  db: Database,
  payload: IngestDocumentPayload,
  runId: string,
): Promise<AcceptedDocument | Rejection> {
  return db.transaction(async (tx) => {
    const row = await lockDocumentForIngest(tx, payload.documentId);
    if (!row) return { skipped: "document deleted" };
    if (row.deleted) return { skipped: "document deleted", deleted: true };
    const { doc } = row;
    if (doc.version !== payload.version) return { skipped: `superseded by version ${doc.version}` };
    if (doc.status === "PROCESSED" || doc.status === "FAILED") return { skipped: `already ${doc.status}` };
    if (doc.status === "PENDING") {
      await startDocumentProcessing(tx, { documentId: doc.id, runId });
      // Counted once per accepted (document, version): retries and stalled re-runs find
      // the row already PROCESSING and do not count again.
      await incrementUsage(tx, row.workspaceId, { processingJobs: 1 });
    } else {
      await claimDocumentRun(tx, { documentId: doc.id, runId });
    }
    return {
      id: doc.id,
      botId: doc.botId,
      workspaceId: row.workspaceId,
      name: doc.name,
      sourceType: doc.sourceType,
      sourceUrl: doc.sourceUrl,
      storageKey: doc.storageKey,
      sizeBytes: doc.sizeBytes,
      chunkCount: doc.chunkCount,
      language: row.language,
      chunkSize: row.ragConfig.chunkSize,
      chunkOverlap: row.ragConfig.chunkOverlap,
    };
  });
}

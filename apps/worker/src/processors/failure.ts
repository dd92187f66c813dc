/**
 * Writes a failed attempt, or a wait for a dependency, onto the document row and
 * publishes it. Only the job's own version is touched: a newer re-index owns the row.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { failDocument, noteDocumentProcessing, type DocumentCounters } from "@docent/db/queries/bot-documents";
import { announceDocumentStatus } from "@docent/queue/status";
import type { Dependency } from "@docent/service-kit/dependency-errors";
import type { Redis } from "ioredis";
import type { WebhookEmitter } from "@docent/service-kit/webhooks";
import { dependencyNoun } from "./base";

type Deps = { db: Database; redis: Redis; queuePrefix: string; webhooks?: WebhookEmitter | undefined };
type DocumentRef = { documentId: string; botId: string; version: number; workspaceId?: string };

async function publishRow(
  deps: Deps,
  document: DocumentRef,
  row: DocumentCounters,
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
  const target = { documentId: document.documentId, version: document.version, message };
  const row = failure.final
    ? await failDocument(deps.db, { ...target, outageDependency: failure.outage ?? null })
    : await noteDocumentProcessing(deps.db, target);
  if (!row) return;
  log.info({ final: failure.final, outage: failure.outage }, "failure recorded on document");
  await publishRow(deps, document, row, failure.final ? "FAILED" : "PROCESSING", message);
  if (failure.final && document.workspaceId) {
    await deps.webhooks?.emit({
      workspaceId: document.workspaceId,
      type: "document.failed",
      data: { documentId: document.documentId, botId: document.botId, version: document.version, error: message },
    });
  }
}

/** Tells the document's owner that processing waits for a dependency, not that it failed. */
export async function recordOutageWait(
  deps: Deps,
  document: DocumentRef,
  wait: { dependency: Dependency; since: Date },
): Promise<void> {
  const message = `Waiting for ${dependencyNoun(wait.dependency)}, unreachable since ${wait.since.toISOString()}; processing resumes automatically once it answers.`;
  const row = await noteDocumentProcessing(deps.db, {
    documentId: document.documentId,
    version: document.version,
    message,
  });
  if (row) await publishRow(deps, document, row, "PROCESSING", message);
}

/**
 * The ingest worker's reads and writes of `bot_documents`: accepting a job, progress,
 * failures, the commit, and the reaper's sweeps. Writes made by a run are guarded by the
 * job's version (and, while processing, by the run's claim), so a write for a document
 * that was re-indexed, deleted or handed to another worker changes nothing; callers tell
 * that apart from success by the returned row.
 *
 * The API's document queries are in ./documents.
 */
import { and, asc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Executor } from "../client";
import type { RagConfig } from "@docent/contracts/json";
import { botDocuments, bots } from "../schema";
import { deletionRecorded, notDeleted } from "./document-deletions";

export type BotDocument = typeof botDocuments.$inferSelect;
export type DocumentStatus = BotDocument["status"];
/** The `stage` column: where a document in PROCESSING is (`queued` until a run picks it up). */
export type DocumentStage = "queued" | "download" | "extract" | "chunk" | "embed" | "store";

/** What a status message about the document reports besides its status. */
export interface DocumentCounters {
  progress: number;
  chunkCount: number;
}

/** A run's write guard: the version its job is for and the run's claim on the row. */
export interface DocumentRun {
  documentId: string;
  version: number;
  /** bot_documents.ingest_run_id as this run set it. */
  runId: string;
}

const counters = { progress: botDocuments.progress, chunkCount: botDocuments.chunkCount };

// ---- Accepting a job (inside the caller's transaction) ----

export interface LockedDocument {
  doc: BotDocument;
  workspaceId: string;
  language: string;
  ragConfig: RagConfig;
  /** A deletion is recorded: the row only waits to be removed. */
  deleted: boolean;
}

/** The document with its bot's settings, its row locked until the transaction ends. */
export async function lockDocumentForIngest(tx: Executor, documentId: string): Promise<LockedDocument | undefined> {
  const [row] = await tx
    .select({
      doc: botDocuments,
      workspaceId: bots.workspaceId,
      language: bots.language,
      ragConfig: bots.ragConfig,
      deleted: deletionRecorded(),
    })
    .from(botDocuments)
    .innerJoin(bots, eq(bots.id, botDocuments.botId))
    .where(eq(botDocuments.id, documentId))
    .for("update", { of: botDocuments });
  return row;
}

/** First acceptance of a version: PROCESSING from the first stage, claimed by `runId`. */
export async function startDocumentProcessing(tx: Executor, params: { documentId: string; runId: string }): Promise<void> {
  await tx
    .update(botDocuments)
    .set({ status: "PROCESSING", stage: "download" satisfies DocumentStage, progress: 0, errorMessage: null, ingestRunId: params.runId })
    .where(eq(botDocuments.id, params.documentId));
}

/** A retry or re-run of a document already PROCESSING takes the claim over. */
export async function claimDocumentRun(tx: Executor, params: { documentId: string; runId: string }): Promise<void> {
  await tx.update(botDocuments).set({ ingestRunId: params.runId }).where(eq(botDocuments.id, params.documentId));
}

// ---- While a run processes ----

/**
 * Writes the run's stage and progress. Undefined when the run no longer owns the row
 * (deleted, re-indexed, finished, or claimed by another run): see `getDocumentClaim`.
 */
export async function recordDocumentProgress(
  db: Executor,
  run: DocumentRun,
  params: { stage: DocumentStage; progress: number },
): Promise<{ chunkCount: number } | undefined> {
  const [row] = await db
    .update(botDocuments)
    .set({ stage: params.stage, progress: params.progress, updatedAt: sql`now()` })
    .where(
      and(
        eq(botDocuments.id, run.documentId),
        eq(botDocuments.version, run.version),
        eq(botDocuments.status, "PROCESSING"),
        eq(botDocuments.ingestRunId, run.runId),
        notDeleted(),
      ),
    )
    .returning({ chunkCount: botDocuments.chunkCount });
  return row;
}

export interface DocumentClaim {
  version: number;
  status: DocumentStatus;
  runId: string | null;
  deleted: boolean;
}

/** Who owns the row now; undefined once the row is gone. */
export async function getDocumentClaim(db: Executor, documentId: string): Promise<DocumentClaim | undefined> {
  const [row] = await db
    .select({
      version: botDocuments.version,
      status: botDocuments.status,
      runId: botDocuments.ingestRunId,
      deleted: deletionRecorded(),
    })
    .from(botDocuments)
    .where(eq(botDocuments.id, documentId));
  return row;
}

// ---- Failures ----

/**
 * The version's final failure: FAILED with the reason, and the dependency whose outage
 * caused it (the reaper queues it again once that answers). Only a version still pending
 * or processing is touched; undefined otherwise.
 */
export async function failDocument(
  db: Executor,
  params: { documentId: string; version: number; message: string; outageDependency: string | null },
): Promise<DocumentCounters | undefined> {
  const [row] = await db
    .update(botDocuments)
    .set({
      status: "FAILED",
      stage: null,
      errorMessage: params.message,
      outageDependency: params.outageDependency,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(botDocuments.id, params.documentId),
        eq(botDocuments.version, params.version),
        inArray(botDocuments.status, ["PENDING", "PROCESSING"]),
      ),
    )
    .returning(counters);
  return row;
}

/** A note on a version still PROCESSING (a failed attempt that is retried, an outage wait). */
export async function noteDocumentProcessing(
  db: Executor,
  params: { documentId: string; version: number; message: string },
): Promise<DocumentCounters | undefined> {
  const [row] = await db
    .update(botDocuments)
    .set({ errorMessage: params.message, updatedAt: sql`now()` })
    .where(
      and(
        eq(botDocuments.id, params.documentId),
        eq(botDocuments.version, params.version),
        eq(botDocuments.status, "PROCESSING"),
      ),
    )
    .returning(counters);
  return row;
}

// ---- The commit ----
// These run inside the postgres.js transaction that also COPYs the chunks in (drizzle
// cannot stream a COPY), hence raw SQL on that transaction.

export interface CommitLock {
  version: number;
  storageKey: string | null;
  runId: string | null;
  deleted: boolean;
}

/** Locks the row for the commit and reads what decides whether the run may commit. */
export async function lockDocumentForCommit(
  tx: postgres.TransactionSql,
  documentId: string,
): Promise<CommitLock | undefined> {
  const [row] = await tx<CommitLock[]>`
    select version, storage_key as "storageKey", ingest_run_id as "runId",
           exists (select 1 from bot_document_deletions where document_id = ${documentId}) as deleted
      from bot_documents
     where id = ${documentId} for update`;
  return row;
}

/** The original as the run stored it (URL documents: fetched anew). */
export interface StoredSource {
  storageKey: string;
  mimeType: string;
  sizeBytes: number;
  contentHash: string;
}

const PROCESSED: DocumentStatus = "PROCESSED";

/** The committed result: PROCESSED with its chunk count, and `source` when the run stored one. */
export async function markDocumentProcessed(
  tx: postgres.TransactionSql,
  params: { documentId: string; chunkCount: number; storageKey: string | null; source?: StoredSource | undefined },
): Promise<void> {
  const { source } = params;
  await tx`
    update bot_documents
       set status = ${PROCESSED}, stage = null, progress = 100, error_message = null, outage_dependency = null,
           chunk_count = ${params.chunkCount}, processed_at = now(), updated_at = now(),
           storage_key = ${params.storageKey},
           mime_type = coalesce(${source?.mimeType ?? null}, mime_type),
           size_bytes = coalesce(${source?.sizeBytes ?? null}, size_bytes),
           content_hash = coalesce(${source?.contentHash ?? null}, content_hash)
     where id = ${params.documentId}`;
}

// ---- The reaper ----

export interface ReapableDocument {
  id: string;
  botId: string;
  workspaceId: string;
  version: number;
}

/** Pending or processing documents not written for `staleAfterMs`, oldest first. */
export async function listStaleDocuments(
  db: Executor,
  params: { staleAfterMs: number; limit: number },
): Promise<(ReapableDocument & { status: DocumentStatus })[]> {
  return db
    .select({
      id: botDocuments.id,
      botId: botDocuments.botId,
      workspaceId: bots.workspaceId,
      version: botDocuments.version,
      status: botDocuments.status,
    })
    .from(botDocuments)
    .innerJoin(bots, eq(bots.id, botDocuments.botId))
    .where(
      and(
        inArray(botDocuments.status, ["PENDING", "PROCESSING"]),
        lt(botDocuments.updatedAt, sql`now() - make_interval(secs => ${params.staleAfterMs / 1000})`),
        notDeleted(),
      ),
    )
    .orderBy(asc(botDocuments.updatedAt))
    .limit(params.limit);
}

/** Marks the version as just handled, so it is not stale again until `staleAfterMs` passes. */
export async function touchDocument(db: Executor, params: { documentId: string; version: number }): Promise<void> {
  await db
    .update(botDocuments)
    .set({ updatedAt: sql`now()` })
    .where(and(eq(botDocuments.id, params.documentId), eq(botDocuments.version, params.version)));
}

/** Documents FAILED by a dependency outage, oldest first, with that dependency. */
export async function listOutageFailures(
  db: Executor,
  params: { limit: number },
): Promise<(ReapableDocument & { dependency: string })[]> {
  const rows = await db
    .select({
      id: botDocuments.id,
      botId: botDocuments.botId,
      workspaceId: bots.workspaceId,
      version: botDocuments.version,
      dependency: botDocuments.outageDependency,
    })
    .from(botDocuments)
    .innerJoin(bots, eq(bots.id, botDocuments.botId))
    .where(and(eq(botDocuments.status, "FAILED"), isNotNull(botDocuments.outageDependency), notDeleted()))
    .orderBy(asc(botDocuments.updatedAt))
    .limit(params.limit);
  return rows.map((row) => ({ ...row, dependency: row.dependency! }));
}

/**
 * Back to PROCESSING (queued, with `reason`) for a version FAILED by an outage. False when
 * it changed meanwhile (another reaper took it, or it was re-indexed).
 */
export async function requeueOutageFailure(
  db: Executor,
  params: { documentId: string; version: number; reason: string },
): Promise<boolean> {
  const rows = await db
    .update(botDocuments)
    .set({
      status: "PROCESSING",
      stage: "queued" satisfies DocumentStage,
      progress: 0,
      errorMessage: params.reason,
      outageDependency: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(botDocuments.id, params.documentId),
        eq(botDocuments.version, params.version),
        eq(botDocuments.status, "FAILED"),
        isNotNull(botDocuments.outageDependency),
      ),
    )
    .returning({ id: botDocuments.id });
  return rows.length > 0;
}

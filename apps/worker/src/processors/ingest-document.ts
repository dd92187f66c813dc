/**
 * The ingest-document job: download -> extract -> chunk -> embed -> store.
 *
 * - Accepting the job is a transaction: a job whose document was deleted or re-indexed
 *   (version moved on) is dropped; the first acceptance of a version flips the row to
 *   PROCESSING and counts one processing job for the workspace's month. Every run claims
 *   the row (ingest_run_id): a run whose job was handed to another worker meanwhile (its
 *   lock lapsed) finds the claim gone at its next checkpoint and stops without writing.
 * - A document deleted while it is processed is removed by this job at its next
 *   checkpoint (row, chunks, stored objects), since DELETE does not wait for the commit.
 * - Chunks are embedded in batches; a chunk whose content hash and embedding model match
 *   one already stored for this document reuses that vector instead of being embedded.
 * - Encoded rows are spooled to a temporary file; the commit then replaces the document's
 *   chunks and flips it to PROCESSED in one transaction (see pipeline/store.ts).
 * - PDFs are read page by page and chunked as they are read, so a large PDF never holds
 *   all its text, chunks and vectors in memory at once.
 * - The workspace's plan bounds each document: a PDF with more pages than it allows fails
 *   as soon as it is opened, and an attempt that runs longer than its processing time
 *   is stopped (the PDF parser thread too) and fails with the reason.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { claimDocumentRun, lockDocumentForIngest, startDocumentProcessing, type StoredSource } from "@docent/db/queries/bot-documents";
import { isDeletionRecorded } from "@docent/db/queries/document-deletions";
import { limitReachedMessage } from "@docent/db/limits";
import { getProcessingLimits, type ProcessingLimits } from "@docent/db/queries/usage";
import { documentStorageKey, incrementProcessingJobs, purgeDeletedDocument } from "@docent/documents";
import {
  chunkDocument,
  chunkSections,
  DETECT_HEAD_BYTES,
  detectFileType,
  extract,
  fetchUrlSafely,
  openPdf,
  type Chunk,
  type FetchUrlOptions,
  type SourceKind,
} from "@docent/ingest";
import type { IngestDocumentPayload } from "@docent/queue/jobs";
import { announceDocumentStatus } from "@docent/queue/status";
import { ObjectNotFoundError, type ObjectStorage } from "@docent/storage";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import type { IngestStage, WorkerMetrics } from "../metrics";
import { encodeChunkRow, regconfigOid } from "../pipeline/copy-chunks";
import { LockLostError, PermanentDocumentError, ReleaseJobError, StaleJobError } from "../pipeline/errors";
import { createProgressReporter, type ProgressReporter } from "../pipeline/progress";
import { TupleSpool } from "../pipeline/spool";
import { commitChunks, loadReusableEmbeddings } from "../pipeline/store";

export const EMBEDDING_DIMENSIONS = 768;

/** The part of @docent/embeddings' Embedder the pipeline relies on. */
export interface EmbedderLike {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<ArrayLike<number>[]>;
}

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
  fetchOptions: Pick<FetchUrlOptions, "maxBytes" | "timeoutMs" | "allowAddress" | "lookup">;
  /** Aborted on SIGTERM: the job is handed back to the queue at the next checkpoint. */
  shutdownSignal: AbortSignal;
  /** Tests only: pause before each embedding batch. */
  testEmbedDelayMs?: number;
  /** Stage durations and chunk counts (docent_ingest_stage_duration_seconds, ...). */
  metrics?: Pick<WorkerMetrics, "stage" | "chunks">;
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

interface AcceptedDocument {
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

/**
 * Locks the row, checks the job is current, marks the document PROCESSING and claims it
 * for this run.
 */
async function acceptJob(
  db: Database,
  payload: IngestDocumentPayload,
  runId: string,
): Promise<AcceptedDocument | { skipped: string; deleted?: true }> {
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
      await incrementProcessingJobs(tx, row.workspaceId);
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

/**
 * Reads a stored object into one buffer. With the size known (from the row) the buffer
 * is allocated once, instead of collecting parts and concatenating them, which would
 * hold the file twice at the peak.
 */
async function readAll(stream: Readable, expectedSize: number): Promise<Buffer> {
  if (expectedSize > 0) {
    const target = Buffer.allocUnsafe(expectedSize);
    let offset = 0;
    const spill: Buffer[] = [];
    for await (const part of stream as AsyncIterable<Buffer>) {
      if (offset + part.length <= expectedSize) offset += part.copy(target, offset);
      else spill.push(part);
    }
    if (offset === expectedSize && spill.length === 0) return target;
    return Buffer.concat([target.subarray(0, offset), ...spill]);
  }
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The source bytes: the stored original, or the URL fetched (and then stored) anew. */
async function download(
  deps: IngestDeps,
  doc: AcceptedDocument,
  deadline: AbortSignal | undefined,
): Promise<{ bytes: Buffer; kind: SourceKind; source?: StoredSource; sourceUrl?: string }> {
  if (doc.sourceType === "URL") {
    const signal = deadline ? AbortSignal.any([deps.shutdownSignal, deadline]) : deps.shutdownSignal;
    const fetched = await fetchUrlSafely(doc.sourceUrl!, { ...deps.fetchOptions, signal });
    const bytes = Buffer.from(fetched.bytes.buffer, fetched.bytes.byteOffset, fetched.bytes.byteLength);
    const nameHint = new URL(fetched.finalUrl).pathname.split("/").pop() || "index.html";
    const detected = detectFileType(bytes.subarray(0, DETECT_HEAD_BYTES), nameHint);
    // Keep what was fetched, so the admin can download exactly what was indexed.
    const storageKey = documentStorageKey(doc.workspaceId, doc.botId, doc.id);
    await deps.storage.put(storageKey, bytes, { contentType: detected.mimeType });
    return {
      bytes,
      kind: detected.kind,
      sourceUrl: fetched.finalUrl,
      source: {
        storageKey,
        mimeType: detected.mimeType,
        sizeBytes: bytes.length,
        contentHash: createHash("sha256").update(bytes).digest("hex"),
      },
    };
  }
  if (!doc.storageKey) throw new PermanentDocumentError("This document has no stored content to process.");
  let bytes: Buffer;
  try {
    bytes = await readAll(await deps.storage.get(doc.storageKey), doc.sizeBytes);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw new PermanentDocumentError("The stored original of this document is missing; upload it again.");
    }
    throw error;
  }
  const detected = detectFileType(bytes.subarray(0, DETECT_HEAD_BYTES), doc.name);
  return { bytes, kind: detected.kind };
}

/** Chunks of the document, streamed for PDFs (with page-based progress), listed otherwise. */
async function chunkStream(
  bytes: Buffer,
  kind: SourceKind,
  sourceUrl: string | undefined,
  options: { chunkSize: number; chunkOverlap: number },
  progress: ProgressReporter,
  limits: { plan: ProcessingLimits | null; deadline: AbortSignal | undefined },
): Promise<{ chunks: AsyncIterable<Chunk> | Iterable<Chunk>; fraction: () => number; close: () => Promise<void> }> {
  if (kind === "pdf") {
    // A plain Uint8Array view (pdf.js refuses Node Buffers) over the same memory, handed
    // to the parser thread without a copy; the job never reads these bytes again.
    const reader = await openPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      transferBytes: true,
      ...(limits.deadline ? { signal: limits.deadline } : {}),
    });
    if (limits.plan && reader.pageCount > limits.plan.maxPdfPages) {
      await reader.close();
      throw tooManyPages(reader.pageCount, limits.plan);
    }
    await progress.report("extract", 10);
    let pagesRead = 0;
    const pages = (async function* () {
      for await (const page of reader.pages()) {
        pagesRead = page.page;
        yield page;
      }
    })();
    return {
      chunks: chunkSections(pages, options),
      fraction: () => (reader.pageCount > 0 ? pagesRead / reader.pageCount : 0),
      close: () => reader.close(),
    };
  }
  const extracted = await extract({ bytes, kind, sourceUrl });
  await progress.report("chunk", 20);
  const chunks = chunkDocument(extracted, options);
  let consumed = 0;
  return {
    chunks: (function* () {
      for (const chunk of chunks) {
        consumed++;
        yield chunk;
      }
    })(),
    fraction: () => (chunks.length > 0 ? consumed / chunks.length : 1),
    close: async () => {},
  };
}

/**
 * Hands the downloaded bytes over and forgets them: pdf.js keeps its own copy, and a
 * second 50 MB buffer held for the whole job would show in the worker's peak memory.
 */
function takeBytes(source: { bytes: Buffer }): Buffer {
  const bytes = source.bytes;
  source.bytes = Buffer.alloc(0);
  return bytes;
}

/** Stops at a safe point when the job's lock was lost, the worker is stopping, or the plan's time is up. */
function checkpoint(deps: IngestDeps, run: IngestRun, deadline?: AbortSignal) {
  if (run.lockLost.aborted) throw new LockLostError();
  if (deps.shutdownSignal.aborted) throw new ReleaseJobError();
  deadline?.throwIfAborted();
}

function tooManyPages(pages: number, plan: ProcessingLimits): PermanentDocumentError {
  return new PermanentDocumentError(
    `The PDF has ${pages.toLocaleString("en-US")} pages. ${limitReachedMessage("pdfPages", plan.maxPdfPages, plan.planName)} ` +
      "Split it into smaller files, or move to a plan with a higher limit.",
  );
}

function tooSlow(plan: ProcessingLimits, cause: unknown): PermanentDocumentError {
  return new PermanentDocumentError(
    `Processing stopped after ${plan.maxDocProcessingSeconds.toLocaleString("en-US")} s. ` +
      `${limitReachedMessage("processingSeconds", plan.maxDocProcessingSeconds, plan.planName)} ` +
      "Split it into smaller files, or move to a plan with a higher limit.",
    { cause },
  );
}

/** Stops the attempt at the plan's processing time; undefined when no plan applies. */
function processingDeadline(plan: ProcessingLimits | null): AbortSignal | undefined {
  return plan ? AbortSignal.timeout(plan.maxDocProcessingSeconds * 1000) : undefined;
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
  let source: Awaited<ReturnType<typeof download>> | undefined;
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
    let embedSeconds = 0;
    // Only a document that has chunks already can have reusable vectors.
    const mayReuse = doc.chunkCount > 0;
    let embedded = 0;
    let reused = 0;
    let batch: Chunk[] = [];

    const flush = async () => {
      if (batch.length === 0) return;
      checkpoint(deps, run, deadline);
      const vectors = mayReuse
        ? await loadReusableEmbeddings(deps.sql, doc.id, model, batch.map((c) => c.contentHash))
        : new Map<string, Float32Array>();
      const missing = batch.filter((c) => !vectors.has(c.contentHash));
      if (missing.length > 0) {
        if (deps.testEmbedDelayMs) await sleep(deps.testEmbedDelayMs);
        const embedStarted = performance.now();
        const result = await embedder.embed(missing.map((c) => c.content), deadline ? { signal: deadline } : undefined);
        embedSeconds += (performance.now() - embedStarted) / 1000;
        if (result.length !== missing.length) {
          throw new Error(`embedder returned ${result.length} vectors for ${missing.length} texts`);
        }
        result.forEach((vector, i) => {
          if (vector.length !== EMBEDDING_DIMENSIONS) {
            throw new PermanentDocumentError(
              `The embedding model ${model} returned ${vector.length}-dimension vectors; Docent needs ${EMBEDDING_DIMENSIONS}. Choose a model (or a dimensions setting) that gives ${EMBEDDING_DIMENSIONS}.`,
            );
          }
          vectors.set(missing[i]!.contentHash, Float32Array.from(vector));
        });
        embedded += missing.length;
      }
      reused += batch.length - missing.length;
      await spool.write(
        batch.map((chunk) =>
          encodeChunkRow(
            {
              botId: doc.botId,
              documentId: doc.id,
              chunkIndex: chunk.index,
              content: chunk.content,
              contentHash: chunk.contentHash,
              tokenCount: chunk.tokenCount,
              metadata: chunk.metadata,
              embedding: vectors.get(chunk.contentHash)!,
              embeddingModel: model,
            },
            oid,
          ),
        ),
      );
      batch = [];
      await progress.report("embed", 25 + 65 * stream.fraction());
    };

    try {
      await progress.report("embed", 25);
      for await (const chunk of stream.chunks) {
        batch.push(chunk);
        if (batch.length >= deps.embedBatchSize) await flush();
      }
      await flush();
    } finally {
      await stream.close();
    }
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

/** The bot's text-search configuration as an OID; an unknown name falls back to 'simple'. */
async function resolveTextSearchConfig(sql: postgres.Sql, language: string, log: Logger): Promise<number> {
  try {
    return await regconfigOid(sql, language);
  } catch {
    log.warn({ language }, "unknown text search configuration; using 'simple'");
    return regconfigOid(sql, "simple");
  }
}

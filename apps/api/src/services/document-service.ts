/**
 * The documents service: everything below the HTTP layer for a bot's knowledge sources
 * (/v1/bots/:botId/documents). Errors are the API's AppErrors (./document-errors).
 * Adding a document stores the original (streamed, never buffered whole), creates the
 * row and enqueues its ingest job; the worker does the rest and reports progress on the
 * row and on the bot's status channel.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Logger } from "@docent/config/logger";
import type { DocumentDto } from "@docent/contracts/documents";
import type { DocumentMetadata } from "@docent/contracts/metadata";
import { sanitizeName } from "@docent/contracts/names";
import type { Database } from "@docent/db/client";
import {
  getBotContext,
  getDocument,
  insertDocument,
  listDocuments,
  lockBot,
  markDocumentDeleted,
  purgeDeletedDocument,
  requestReindex,
  requestReindexAll,
  updateDocumentMetadata,
  type BotContext,
  type DocumentRow,
  type DocumentStatus,
  type NewDocumentRow,
} from "@docent/db/queries/documents";
import {
  enqueueIngest,
  enqueueIngestBulk,
  type IngestQueue,
} from "@docent/queue/producer";
import { ingestJobId } from "@docent/queue/jobs";
import { announceDocumentStatus, type DocumentStatusEvent } from "@docent/queue/status";
import { documentStorageKey } from "@docent/storage/keys";
import type { ObjectStorage } from "@docent/storage/types";
import type { Redis } from "ioredis";
import { documentDto } from "../dto";
import { documentErrors } from "./document-errors";
import { createPlanLimits, type DocumentLimits, type FileSizeLimit } from "./document-limits";
import { createStatusHub, type SourceStatusListener, type StatusListener } from "./document-status-hub";
import { UploadInspector, type DetectFn, type UploadInspection } from "./upload-inspector";

/**
 * How long DELETE waits for the document row before leaving the removal to the worker
 * that holds it: longer than a progress write or a job's acceptance, far shorter than a
 * commit.
 */
const PURGE_LOCK_TIMEOUT_MS = 500;

export interface DocumentsServiceDeps {
  db: Database;
  storage: ObjectStorage;
  queue: IngestQueue;
  /** Publishes status events; its duplicate subscribes for SSE streams. */
  redis: Redis;
  logger: Logger;
  limits?: DocumentLimits;
  /** Overrides file-type detection (tests). */
  detect?: DetectFn;
}

/**
 * The HTTP request behind an action, carried in its ingest job so the worker's log lines
 * for the job name the request that queued it (x-request-id).
 */
export interface RequestContext {
  requestId?: string;
}

export interface AddFileInput extends RequestContext {
  botId: string;
  createdBy?: string | null;
  /** The client's file name: a display field only, never part of a storage key. */
  fileName: string;
  stream: Readable;
  metadata?: DocumentMetadata;
}

export interface DownloadResult {
  stream: Readable;
  contentType: string;
  sizeBytes: number;
  fileName: string;
}

const structuredSource: Partial<Record<UploadInspection["kind"], DocumentRow["sourceType"]>> = {
  csv: "CSV_STRUCTURED",
  json: "JSON_STRUCTURED",
};

/**
 * Display names: no path, no control or format characters (bidi overrides would let
 * `invoice\u202Etxt.exe` show as "invoiceexe.txt"; see @docent/contracts' sanitizeName),
 * at most 255 characters.
 */
export function cleanDisplayName(name: string, fallback = "document"): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = sanitizeName(base).slice(0, 255).trim();
  return cleaned || fallback;
}

export function createDocumentsService(deps: DocumentsServiceDeps) {
  const { db, storage, queue, redis, logger } = deps;
  const limits = deps.limits ?? createPlanLimits();
  const prefix = queue.opts.prefix ?? "bull";
  const statusHub = createStatusHub(async () => redis.duplicate(), prefix);

  async function requireBot(botId: string): Promise<BotContext> {
    const bot = await getBotContext(db, botId);
    if (!bot) throw documentErrors.botNotFound();
    return bot;
  }

  async function publish(row: DocumentRow, status?: DocumentStatusEvent["status"]) {
    await announceDocumentStatus(redis, prefix, { ...row, status: status ?? row.status }, (error) =>
      logger.warn({ err: error, documentId: row.id }, "could not publish document status"),
    );
  }

  /**
   * Enqueues the row's current version. A failure here is logged, not thrown: the row is
   * PENDING and the worker's reaper enqueues PENDING documents whose job is missing.
   */
  async function enqueue(row: DocumentRow, workspaceId: string, requestId: string | undefined) {
    try {
      await enqueueIngest(queue, {
        documentId: row.id,
        botId: row.botId,
        workspaceId,
        version: row.version,
        ...(requestId ? { requestId } : {}),
      });
    } catch (error) {
      logger.error({ err: error, documentId: row.id, requestId }, "enqueue failed; the reaper will retry");
    }
    await publish(row);
  }

  /** Creates the row under the bot lock, re-checking limits with the final size. */
  async function createRow(bot: BotContext, values: Omit<NewDocumentRow, "botId">) {
    return db.transaction(async (tx) => {
      if (!(await lockBot(tx, bot.id))) throw documentErrors.botNotFound();
      await limits.assertCanAddDocument(tx, {
        workspaceId: bot.workspaceId,
        botId: bot.id,
        sizeBytes: values.sizeBytes ?? 0,
      });
      await limits.assertCanProcess(tx, bot.workspaceId, 1);
      return insertDocument(tx, { ...values, botId: bot.id, status: "PENDING", stage: "queued" });
    });
  }

  /** Streams a body to a fresh key through the inspector; deletes the object on any failure. */
  async function storeOriginal(bot: BotContext, documentId: string, body: Readable, limit: FileSizeLimit, nameHint?: string) {
    const key = documentStorageKey(bot.workspaceId, bot.id, documentId);
    const inspector = new UploadInspector({ maxBytes: limit.bytes, planName: limit.planName, nameHint, detect: deps.detect });
    const piping = pipeline(body, inspector).catch(() => {});
    try {
      await storage.put(key, inspector, { contentType: "application/octet-stream" });
      await piping;
      if (inspector.failure) throw inspector.failure;
      return { key, info: inspector.result() };
    } catch (error) {
      body.resume();
      inspector.destroy();
      await storage.delete(key).catch(() => {});
      throw inspector.failure ?? error;
    }
  }

  return {
    async addFile(input: AddFileInput): Promise<DocumentDto> {
      const bot = await requireBot(input.botId);
      // Refuse early, before reading the body, when the plan is already full.
      await limits.assertCanAddDocument(db, { workspaceId: bot.workspaceId, botId: bot.id, sizeBytes: 0 });
      await limits.assertCanProcess(db, bot.workspaceId, 1);
      const maxSize = await limits.maxFileBytes(db, bot.workspaceId);
      const name = cleanDisplayName(input.fileName);
      const documentId = randomUUID();
      const { key, info } = await storeOriginal(bot, documentId, input.stream, maxSize, name);
      let row: DocumentRow;
      try {
        row = await createRow(bot, {
          id: documentId,
          createdBy: input.createdBy ?? null,
          name,
          sourceType: structuredSource[info.kind] ?? "FILE_UPLOAD",
          mimeType: info.mimeType,
          sizeBytes: info.sizeBytes,
          storageKey: key,
          contentHash: info.sha256,
          metadata: input.metadata ?? {},
        });
      } catch (error) {
        await storage.delete(key).catch(() => {});
        throw error;
      }
      logger.info({ documentId, botId: bot.id, kind: info.kind, sizeBytes: info.sizeBytes, requestId: input.requestId }, "document uploaded");
      await enqueue(row, bot.workspaceId, input.requestId);
      return documentDto(row);
    },

    async addUrl(
      input: { botId: string; url: string; name?: string; metadata?: DocumentMetadata; createdBy?: string | null } & RequestContext,
    ): Promise<DocumentDto> {
      const bot = await requireBot(input.botId);
      let url: URL;
      try {
        url = new URL(input.url);
      } catch {
        throw documentErrors.invalidInput("url must be an absolute http(s) URL.", { field: "url" });
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw documentErrors.unsafeUrl("Only http and https URLs can be added.");
      }
      if (url.username || url.password) {
        throw documentErrors.unsafeUrl("URLs with credentials cannot be added.");
      }
      const row = await createRow(bot, {
        createdBy: input.createdBy ?? null,
        name: cleanDisplayName(input.name ?? "", `${url.host}${url.pathname}`.slice(0, 255)),
        sourceType: "URL",
        sourceUrl: url.toString(),
        metadata: input.metadata ?? {},
      });
      await enqueue(row, bot.workspaceId, input.requestId);
      return documentDto(row);
    },

    async addText(
      input: { botId: string; name: string; text: string; metadata?: DocumentMetadata; createdBy?: string | null } & RequestContext,
    ): Promise<DocumentDto> {
      const bot = await requireBot(input.botId);
      if (input.text.trim().length === 0) throw documentErrors.invalidInput("text must not be empty.", { field: "text" });
      await limits.assertCanAddDocument(db, { workspaceId: bot.workspaceId, botId: bot.id, sizeBytes: 0 });
      const maxSize = await limits.maxFileBytes(db, bot.workspaceId);
      const documentId = randomUUID();
      const bytes = Buffer.from(input.text, "utf8");
      // Pasted text is stored like a file, so download and re-index work the same way.
      const { key, info } = await storeOriginal(bot, documentId, Readable.from([bytes]), maxSize, "text.txt");
      try {
        const row = await createRow(bot, {
          id: documentId,
          createdBy: input.createdBy ?? null,
          name: cleanDisplayName(input.name, "Pasted text"),
          sourceType: "MANUAL_TEXT",
          mimeType: "text/plain; charset=utf-8",
          sizeBytes: info.sizeBytes,
          storageKey: key,
          contentHash: info.sha256,
          metadata: input.metadata ?? {},
        });
        await enqueue(row, bot.workspaceId, input.requestId);
        return documentDto(row);
      } catch (error) {
        await storage.delete(key).catch(() => {});
        throw error;
      }
    },

    async list(
      botId: string,
      options: { status?: DocumentStatus; limit?: number; offset?: number } = {},
    ): Promise<DocumentDto[]> {
      await requireBot(botId);
      const rows = await listDocuments(db, botId, {
        status: options.status,
        limit: Math.min(Math.max(options.limit ?? 50, 1), 200),
        offset: Math.max(options.offset ?? 0, 0),
      });
      return rows.map(documentDto);
    },

    async get(botId: string, documentId: string): Promise<DocumentDto> {
      const row = await getDocument(db, botId, documentId);
      if (!row) throw documentErrors.documentNotFound();
      return documentDto(row);
    },

    /** Replaces the document's metadata; retrieval filters see it at once, without a re-index. */
    async updateMetadata(botId: string, documentId: string, metadata: DocumentMetadata): Promise<DocumentDto> {
      const row = await updateDocumentMetadata(db, botId, documentId, metadata);
      if (!row) throw documentErrors.documentNotFound();
      return documentDto(row);
    },

    async download(botId: string, documentId: string): Promise<DownloadResult> {
      const row = await getDocument(db, botId, documentId);
      if (!row) throw documentErrors.documentNotFound();
      if (!row.storageKey) {
        throw documentErrors.originalNotStored();
      }
      return {
        stream: await storage.get(row.storageKey),
        contentType: row.mimeType ?? "application/octet-stream",
        sizeBytes: row.sizeBytes,
        fileName: row.name,
      };
    },

    async reindex(botId: string, documentId: string, context: RequestContext = {}): Promise<DocumentDto> {
      const bot = await requireBot(botId);
      const current = await getDocument(db, botId, documentId);
      if (!current) throw documentErrors.documentNotFound();
      if (current.status !== "PENDING") await limits.assertCanProcess(db, bot.workspaceId, 1);
      const row = await requestReindex(db, botId, documentId);
      if (!row) throw documentErrors.documentNotFound();
      await enqueue(row, bot.workspaceId, context.requestId);
      return documentDto(row);
    },

    async reindexAll(botId: string, context: RequestContext = {}): Promise<{ queued: number }> {
      const bot = await requireBot(botId);
      const all = await listDocuments(db, botId, { limit: 100_000, offset: 0 });
      const needJobs = all.filter((d) => d.status !== "PENDING").length;
      if (needJobs > 0) await limits.assertCanProcess(db, bot.workspaceId, needJobs);
      const rows = await requestReindexAll(db, botId);
      try {
        await enqueueIngestBulk(
          queue,
          rows.map((r) => ({
            documentId: r.id,
            botId,
            workspaceId: bot.workspaceId,
            version: r.version,
            ...(context.requestId ? { requestId: context.requestId } : {}),
          })),
        );
      } catch (error) {
        logger.error({ err: error, botId, requestId: context.requestId }, "bulk enqueue failed; the reaper will retry");
      }
      await Promise.all(rows.map((r) => publish(r)));
      return { queued: rows.length };
    },

    /**
     * Records the deletion (the document disappears from every listing at once), removes
     * a waiting job, and removes the row, chunks and stored original right away unless a
     * worker is committing this document; then that worker finishes the deletion at its
     * next checkpoint (or the reaper does). Never waits on the worker's commit.
     */
    async delete(botId: string, documentId: string): Promise<void> {
      const row = await markDocumentDeleted(db, botId, documentId);
      if (!row) throw documentErrors.documentNotFound();
      // A waiting job is removed; an active one notices the deletion at its next checkpoint.
      await queue.remove(ingestJobId(row.id, row.version)).catch(() => 0);
      await publish({ ...row, stage: null, progress: 0, chunkCount: 0 }, "DELETED");
      try {
        const outcome = await purgeDeletedDocument({ db, storage, logger }, row.id, { lockTimeoutMs: PURGE_LOCK_TIMEOUT_MS });
        if (outcome === "busy") logger.info({ documentId }, "document is being committed; its worker finishes the deletion");
      } catch (error) {
        logger.warn({ err: error, documentId }, "deletion recorded; removing the document failed, the worker's reaper retries");
      }
    },

    /** Live status events for one bot; returns the unsubscribe function. */
    subscribe(botId: string, listener: StatusListener, sourceListener?: SourceStatusListener) {
      return statusHub.subscribe(botId, listener, sourceListener);
    },

    async close() {
      await statusHub.close();
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;

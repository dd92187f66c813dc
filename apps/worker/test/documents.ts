/**
 * Documents added the way the API adds them, for the worker's tests and benchmarks and the
 * fault tests: the original stored under a server-made key, the PENDING row, its ingest
 * job; re-index and delete as the API's requests do them. Built from the pieces the API's
 * documents service uses (@docent/db/queries/documents, @docent/storage,
 * @docent/queue/producer); plan limits, upload checks and status messages stay the API's.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import {
  getBotContext,
  getDocument,
  insertDocument,
  listDocuments,
  markDocumentDeleted,
  purgeDeletedDocument,
  requestReindex,
  type DocumentRow,
  type NewDocumentRow,
} from "@docent/db/queries/documents";
import { DETECT_HEAD_BYTES, detectFileType } from "@docent/ingest/detect";
import { ingestJobId } from "@docent/queue/jobs";
import { enqueueIngest, type IngestQueue } from "@docent/queue/producer";
import { documentStorageKey, type ObjectStorage } from "@docent/storage";

/** As the API's DELETE: longer than a progress write, far shorter than a commit. */
const DELETE_LOCK_TIMEOUT_MS = 500;

const structured: Record<string, NewDocumentRow["sourceType"]> = { csv: "CSV_STRUCTURED", json: "JSON_STRUCTURED" };

export function createTestDocuments(deps: { db: Database; storage: ObjectStorage; queue: IngestQueue; logger: Logger }) {
  const { db, storage, queue } = deps;

  async function create(botId: string, values: Omit<NewDocumentRow, "botId">, requestId?: string): Promise<DocumentRow> {
    const bot = await getBotContext(db, botId);
    if (!bot) throw new Error(`no bot ${botId}`);
    const row = await insertDocument(db, { ...values, botId, status: "PENDING", stage: "queued" });
    await enqueueIngest(queue, { documentId: row.id, botId, workspaceId: bot.workspaceId, version: row.version, ...(requestId ? { requestId } : {}) });
    return row;
  }

  async function store(botId: string, bytes: Buffer, values: Omit<NewDocumentRow, "botId" | "id" | "storageKey">, requestId?: string) {
    const bot = await getBotContext(db, botId);
    if (!bot) throw new Error(`no bot ${botId}`);
    const id = randomUUID();
    const storageKey = documentStorageKey(bot.workspaceId, botId, id);
    await storage.put(storageKey, bytes, { contentType: "application/octet-stream" });
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    return create(botId, { ...values, id, storageKey, sizeBytes: bytes.length, contentHash }, requestId);
  }

  return {
    async addFile(input: { botId: string; fileName: string; stream: Readable; requestId?: string }) {
      const bytes = await buffer(input.stream);
      const detected = detectFileType(bytes.subarray(0, DETECT_HEAD_BYTES), input.fileName);
      const sourceType = structured[detected.kind] ?? "FILE_UPLOAD";
      return store(input.botId, bytes, { name: input.fileName, sourceType, mimeType: detected.mimeType }, input.requestId);
    },

    async addText(input: { botId: string; name: string; text: string }) {
      const bytes = Buffer.from(input.text, "utf8");
      return store(input.botId, bytes, { name: input.name, sourceType: "MANUAL_TEXT", mimeType: "text/plain; charset=utf-8" });
    },

    async addUrl(input: { botId: string; url: string }) {
      const url = new URL(input.url);
      return create(input.botId, { name: `${url.host}${url.pathname}`, sourceType: "URL", sourceUrl: url.toString() });
    },

    async reindex(botId: string, documentId: string) {
      const row = await requestReindex(db, botId, documentId);
      const bot = await getBotContext(db, botId);
      if (!row || !bot) throw new Error(`no document ${documentId}`);
      await enqueueIngest(queue, { documentId, botId, workspaceId: bot.workspaceId, version: row.version });
      return row;
    },

    /** False when the bot has no such (undeleted) document. */
    async delete(botId: string, documentId: string): Promise<boolean> {
      const row = await markDocumentDeleted(db, botId, documentId);
      if (!row) return false;
      await queue.remove(ingestJobId(row.id, row.version)).catch(() => 0);
      await purgeDeletedDocument(deps, row.id, { lockTimeoutMs: DELETE_LOCK_TIMEOUT_MS }).catch((error: unknown) => {
        deps.logger.warn({ err: error, documentId }, "deletion recorded; the worker's reaper finishes it");
      });
      return true;
    },

    list: (botId: string) => listDocuments(db, botId, { limit: 200, offset: 0 }),
    get: (botId: string, documentId: string) => getDocument(db, botId, documentId),

    async download(botId: string, documentId: string) {
      const row = await getDocument(db, botId, documentId);
      if (!row?.storageKey) throw new Error(`no stored original for ${documentId}`);
      return { stream: await storage.get(row.storageKey), contentType: row.mimeType ?? "application/octet-stream" };
    },
  };
}

export type TestDocuments = ReturnType<typeof createTestDocuments>;

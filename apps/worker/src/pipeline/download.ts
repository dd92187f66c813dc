/**
 * The download step: the source bytes, from the stored original, or from the document's
 * URL fetched anew (and then stored, so the admin can download exactly what was indexed).
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { StoredSource } from "@docent/db/queries/bot-documents";
import { DETECT_HEAD_BYTES, detectFileType, fetchUrlSafely, type FetchUrlOptions, type SourceKind } from "@docent/ingest";
import { documentStorageKey, ObjectNotFoundError, type ObjectStorage } from "@docent/storage";
import type { AcceptedDocument } from "./accept";
import { PermanentDocumentError } from "./errors";

export interface DownloadDeps {
  storage: ObjectStorage;
  fetchOptions: Pick<FetchUrlOptions, "maxBytes" | "timeoutMs" | "allowAddress" | "lookup">;
  /** Aborted on SIGTERM: a fetch in flight stops. */
  shutdownSignal: AbortSignal;
}

export interface Downloaded {
  bytes: Buffer;
  kind: SourceKind;
  /** URL documents: the fetched original, stored under a new key by this run. */
  source?: StoredSource;
  /** URL documents: where the fetch ended (after redirects). */
  sourceUrl?: string;
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
export async function download(
  deps: DownloadDeps,
  doc: AcceptedDocument,
  deadline: AbortSignal | undefined,
): Promise<Downloaded> {
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

/**
 * Hands the downloaded bytes over and forgets them: pdf.js keeps its own copy, and a
 * second 50 MB buffer held for the whole job would show in the worker's peak memory.
 */
export function takeBytes(source: { bytes: Buffer }): Buffer {
  const bytes = source.bytes;
  source.bytes = Buffer.alloc(0);
  return bytes;
}

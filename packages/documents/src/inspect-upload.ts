/**
 * Looks at an upload while it streams to storage, without buffering it: the first bytes
 * decide the file type (magic numbers, never the client's Content-Type), every byte goes
 * through SHA-256 and the size counter, and the stream fails as soon as it passes the
 * plan's limit. A PDF whose last bytes show it is cut short is refused at upload; whether
 * an encrypted PDF opens without a password only extraction can tell, so that is the
 * worker's call (it fails the document with a message that says so).
 */
import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import {
  assertPdfLooksComplete,
  DETECT_HEAD_BYTES,
  detectFileType,
  isIngestError,
  PDF_TAIL_BYTES,
  type SourceKind,
} from "@docent/ingest";
import { DocumentsError, documentErrors, type DocumentsErrorCode } from "./errors";

export interface UploadInspection {
  sizeBytes: number;
  sha256: string;
  kind: SourceKind;
  mimeType: string;
}

export type DetectFn = (head: Buffer, nameHint?: string) => { kind: SourceKind; mimeType: string };

/** Maps an ingest error (unsupported, empty, corrupt...) to the 4xx the client should see. */
export function toDocumentsError(error: unknown): DocumentsError | undefined {
  if (error instanceof DocumentsError) return error;
  if (!isIngestError(error)) return undefined;
  if (error.code === "empty_file") return documentErrors.emptyFile();
  const codes: Record<string, DocumentsErrorCode> = {
    unsupported_file: "unsupported_file",
    encrypted_file: "encrypted_file",
    corrupt_file: "corrupt_file",
    extraction_failed: "corrupt_file",
    unsafe_url: "unsafe_url",
  };
  const status = error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 422;
  return new DocumentsError(codes[error.code] ?? "corrupt_file", status, error.message);
}

export class UploadInspector extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private headBytes: Buffer | undefined;
  private tail: Buffer = Buffer.alloc(0);
  private detected: { kind: SourceKind; mimeType: string } | undefined;
  private readonly hash = createHash("sha256");
  private size = 0;
  /** The first problem found; the storage upload's own error only says the stream broke. */
  failure: DocumentsError | undefined;

  constructor(private readonly options: { maxBytes: number; planName?: string; nameHint?: string; detect?: DetectFn }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.options.maxBytes) {
      return this.fail(documentErrors.fileTooLarge(this.options.maxBytes, this.options.planName), callback);
    }
    this.hash.update(chunk);
    this.keepTail(chunk);
    if (this.detected) return callback(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < DETECT_HEAD_BYTES) return callback();
    this.release(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size === 0) return this.fail(documentErrors.emptyFile(), callback);
    if (!this.detected) {
      let failed = false;
      this.release((error, data) => {
        if (error) {
          failed = true;
          return callback(error);
        }
        if (data) this.push(data);
      });
      if (failed) return;
    }
    if (this.detected?.kind === "pdf") {
      try {
        assertPdfLooksComplete(this.headBytes!, this.tail);
      } catch (error) {
        return this.fail(toDocumentsError(error)!, callback);
      }
    }
    callback();
  }

  result(): UploadInspection {
    if (!this.detected) throw new Error("upload not inspected yet");
    return {
      sizeBytes: this.size,
      sha256: this.hash.digest("hex"),
      kind: this.detected.kind,
      mimeType: this.detected.mimeType,
    };
  }

  private keepTail(chunk: Buffer) {
    this.tail =
      chunk.length >= PDF_TAIL_BYTES
        ? chunk.subarray(chunk.length - PDF_TAIL_BYTES)
        : Buffer.concat([this.tail, chunk]).subarray(-PDF_TAIL_BYTES);
  }

  private release(callback: TransformCallback) {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.headBytes = head.subarray(0, DETECT_HEAD_BYTES);
    try {
      this.detected = (this.options.detect ?? detectFileType)(head, this.options.nameHint);
    } catch (error) {
      const mapped = toDocumentsError(error);
      if (mapped) return this.fail(mapped, callback);
      return callback(error as Error);
    }
    callback(null, head);
  }

  private fail(error: DocumentsError, callback: TransformCallback) {
    this.failure ??= error;
    callback(error);
  }
}

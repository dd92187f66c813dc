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
import { DETECT_HEAD_BYTES, detectFileType, type DetectedFileType } from "@docent/ingest/detect";
import { assertPdfLooksComplete, PDF_TAIL_BYTES } from "@docent/ingest/pdf-inspect";
import type { AppError } from "@docent/service-kit/errors";
import { documentErrors, uploadError } from "./document-errors";

type SourceKind = DetectedFileType["kind"];

export interface UploadInspection {
  sizeBytes: number;
  sha256: string;
  kind: SourceKind;
  mimeType: string;
}

export type DetectFn = (head: Buffer, nameHint?: string) => { kind: SourceKind; mimeType: string };

export class UploadInspector extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private headBytes: Buffer | undefined;
  private tail: Buffer = Buffer.alloc(0);
  private detected: { kind: SourceKind; mimeType: string } | undefined;
  private readonly hash = createHash("sha256");
  private size = 0;
  /** The first problem found; the storage upload's own error only says the stream broke. */
  failure: AppError | undefined;

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
        return this.fail(uploadError(error)!, callback);
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
      const mapped = uploadError(error);
      if (mapped) return this.fail(mapped, callback);
      return callback(error as Error);
    }
    callback(null, head);
  }

  private fail(error: AppError, callback: TransformCallback) {
    this.failure ??= error;
    callback(error);
  }
}

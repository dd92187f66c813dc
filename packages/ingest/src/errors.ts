/**
 * The ingestion error family. Every error says whether retrying can help (`retryable`),
 * which HTTP status fits when it reaches a client at upload time, and a message a person
 * understands; the worker turns non-retryable ones into a failed document at once.
 */

export type IngestErrorCode =
  | "unsupported_file"
  | "empty_file"
  | "extraction_failed"
  | "encrypted_file"
  | "corrupt_file"
  | "limit_exceeded"
  | "unsafe_url"
  | "fetch_failed";

export abstract class IngestError extends Error {
  abstract readonly code: IngestErrorCode;
  abstract readonly statusCode: number;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not a kind of document Docent can read (image, archive, program, empty). */
export class UnsupportedFileError extends IngestError {
  readonly code: IngestErrorCode;
  readonly statusCode = 415;
  readonly retryable = false;

  constructor(message: string, code: "unsupported_file" | "empty_file" = "unsupported_file") {
    super(message);
    this.code = code;
  }
}

/** The document is of a supported kind but cannot be read: corrupt, encrypted, empty. */
export class ExtractionError extends IngestError {
  readonly code: IngestErrorCode;
  readonly statusCode = 422;
  readonly retryable = false;

  constructor(
    message: string,
    options?: {
      cause?: unknown;
      code?: "extraction_failed" | "encrypted_file" | "corrupt_file" | "empty_file" | "limit_exceeded";
    },
  ) {
    super(message, options);
    this.code = options?.code ?? "extraction_failed";
  }
}

/** The URL must not be fetched: bad scheme, or it points at a private or internal address. */
export class UnsafeUrlError extends IngestError {
  readonly code = "unsafe_url" as const;
  readonly statusCode = 400;
  readonly retryable = false;
}

/** Fetching a (safe) URL failed; `retryable` is true for network errors, timeouts and 5xx/429. */
export class FetchError extends IngestError {
  readonly code = "fetch_failed" as const;
  readonly statusCode: number;
  readonly retryable: boolean;
  /** HTTP status of the remote response, when there was one. */
  readonly remoteStatus: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; remoteStatus?: number; statusCode?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.remoteStatus = options.remoteStatus;
    this.statusCode = options.statusCode ?? (options.retryable ? 502 : 422);
  }
}

export function isIngestError(error: unknown): error is IngestError {
  return error instanceof IngestError;
}

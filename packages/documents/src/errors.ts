/**
 * Errors the documents service raises. Each carries the HTTP status it maps to and a
 * message that names the problem for the person who sent the request; the route module
 * converts them with the host app's error factory.
 */
import { limitReachedMessage } from "@docent/db/limits";

export type DocumentsErrorCode =
  | "bot_not_found"
  | "document_not_found"
  | "invalid_input"
  | "empty_file"
  | "file_too_large"
  | "unsupported_file"
  | "encrypted_file"
  | "corrupt_file"
  | "unsafe_url"
  | "plan_limit_reached"
  | "original_not_stored"
  | "queue_unavailable";

export class DocumentsError extends Error {
  constructor(
    public readonly code: DocumentsErrorCode,
    public readonly statusCode: number,
    message: string,
    public readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DocumentsError";
  }

  get retryable(): boolean {
    return this.statusCode >= 500;
  }
}

export const documentErrors = {
  botNotFound: () => new DocumentsError("bot_not_found", 404, "Bot not found."),
  documentNotFound: () => new DocumentsError("document_not_found", 404, "Document not found."),
  invalidInput: (message: string, details?: Record<string, unknown>) =>
    new DocumentsError("invalid_input", 400, message, details),
  emptyFile: () => new DocumentsError("empty_file", 422, "The file is empty."),
  fileTooLarge: (maxBytes: number, planName?: string) =>
    new DocumentsError(
      "file_too_large",
      413,
      planName
        ? `The file is too large. ${limitReachedMessage("fileSize", maxBytes, planName)}`
        : `The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB.`,
      { limit: "fileSize", maxBytes, ...(planName ? { plan: planName } : {}) },
    ),
};

export function isDocumentsError(error: unknown): error is DocumentsError {
  return error instanceof DocumentsError;
}

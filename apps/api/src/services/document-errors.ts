/**
 * The documents service's errors, in the API's one error family (AppError). Codes,
 * statuses and messages are the ones clients of /v1/bots/:botId/documents rely on.
 */
import { limitReachedMessage } from "@docent/db/limits";
import { isIngestError } from "@docent/ingest/errors";
import { AppError } from "@docent/service-kit/errors";

const fail = (statusCode: number, code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(message, { statusCode, code, details });

export const documentErrors = {
  botNotFound: () => fail(404, "NOT_FOUND", "Bot not found."),
  documentNotFound: () => fail(404, "NOT_FOUND", "Document not found."),
  originalNotStored: () =>
    fail(404, "NOT_FOUND", "No stored original for this document yet (a URL is stored once it has been fetched)."),
  invalidInput: (message: string, details?: Record<string, unknown>) => fail(400, "VALIDATION_FAILED", message, details),
  noFile: () => fail(400, "VALIDATION_FAILED", "No file in the upload."),
  notMultipart: () => fail(415, "UNSUPPORTED_MEDIA_TYPE", "Upload the file as multipart/form-data with one file field."),
  unsafeUrl: (message: string) => fail(400, "UNSAFE_URL", message, { field: "url" }),
  emptyFile: () => fail(422, "EMPTY_FILE", "The file is empty."),
  /** The multipart parser's own ceiling (DOCUMENT_UPLOAD_MAX_BYTES), not the plan's. */
  uploadTooLarge: () => fail(413, "FILE_TOO_LARGE", "The file is too large."),
  fileTooLarge: (maxBytes: number, planName?: string) =>
    fail(
      413,
      "FILE_TOO_LARGE",
      planName
        ? `The file is too large. ${limitReachedMessage("fileSize", maxBytes, planName)}`
        : `The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB.`,
      { limit: "fileSize", maxBytes, ...(planName ? { plan: planName } : {}) },
    ),
};

const ingestCodes: Record<string, string> = {
  unsupported_file: "UNSUPPORTED_FILE",
  encrypted_file: "ENCRYPTED_FILE",
  corrupt_file: "CORRUPT_FILE",
  extraction_failed: "CORRUPT_FILE",
  unsafe_url: "UNSAFE_URL",
};

/** Maps an ingest error (unsupported, empty, corrupt...) to the 4xx the client should see. */
export function uploadError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (!isIngestError(error)) return undefined;
  if (error.code === "empty_file") return documentErrors.emptyFile();
  const status = error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 422;
  return fail(status, ingestCodes[error.code] ?? "CORRUPT_FILE", error.message);
}

/**
 * The chat service's errors: service-kit's one error family (`code`, HTTP status,
 * `retryable`, `details`), with chat-specific codes. The shared error handler turns
 * them into `{ requestId, statusCode, error, message, details? }`.
 */
import { AppError, type ErrorCode } from "@docent/service-kit/errors";

export class ChatError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    // Every chat message is written for the end user, so it may be shown even on 5xx.
    super(message, { code, expose: true, ...options });
  }
}

export const errors = {
  notFound: (what: string) => new ChatError("NOT_FOUND", `${what} not found`),
  badRequest: (message: string, details?: unknown) => new ChatError("BAD_REQUEST", message, { details }),
  forbidden: (message: string) => new ChatError("FORBIDDEN", message),
};

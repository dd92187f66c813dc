/**
 * The one error family of every Docent service. Throw these from services and handlers;
 * the error handler turns them into `{ requestId, statusCode, error, message, details? }`.
 * `code` is the stable machine-readable `error` field, one of the closed table in
 * @docent/contracts/errors, which also gives its HTTP status; `retryable` tells clients
 * (and job runners) whether trying again later can succeed.
 */
import { type ErrorCode, errorStatuses } from "@docent/contracts/errors";

export type { ErrorCode };

export interface AppErrorOptions {
  code: ErrorCode;
  retryable?: boolean;
  details?: unknown;
  cause?: unknown;
  /** Whether `message` may be shown to clients; false for 5xx by default. */
  expose?: boolean;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly details?: unknown;
  readonly expose: boolean;
  readonly headers?: Record<string, string>;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.statusCode = errorStatuses[options.code];
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.expose = options.expose ?? this.statusCode < 500;
    this.headers = options.headers;
  }
}

type Extra = Omit<AppErrorOptions, "code"> & { code?: ErrorCode };

export class BadRequestError extends AppError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: "BAD_REQUEST", ...extra });
  }
}

export interface FieldIssue {
  /** "body.email", "params.botId"... */
  path: string;
  message: string;
}

/** A request that is well-formed JSON but invalid; `details.issues` names each field. */
export class ValidationError extends AppError {
  constructor(issues: FieldIssue[], message?: string) {
    super(message ?? `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
      code: "VALIDATION_FAILED",
      details: { issues },
    });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required", extra: Extra = {}) {
    super(message, { code: "UNAUTHENTICATED", ...extra });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You do not have permission to do this", extra: Extra = {}) {
    super(message, { code: "FORBIDDEN", ...extra });
  }
}

/** Also used for objects of other tenants, so their existence is never revealed. */
export class NotFoundError extends AppError {
  constructor(what = "Resource", extra: Extra = {}) {
    super(`${what} not found`, { code: "NOT_FOUND", ...extra });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: "CONFLICT", ...extra });
  }
}

/** A plan limit or a feature the plan lacks; `details.limit` names it. */
export class PaymentRequiredError extends AppError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: "QUOTA_EXCEEDED", ...extra });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = "Request body is too large", extra: Extra = {}) {
    super(message, { code: "PAYLOAD_TOO_LARGE", ...extra });
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message = "Too many requests; try again later") {
    super(message, {
      code: "RATE_LIMITED",
      retryable: true,
      details: { retryAfterSeconds },
      headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

/** A dependency (database, Redis, a model provider) is down; worth retrying. */
export class ServiceUnavailableError extends AppError {
  constructor(message = "Service temporarily unavailable", extra: Extra = {}) {
    super(message, { code: "SERVICE_UNAVAILABLE", retryable: true, expose: true, ...extra });
  }
}

/** Seconds a client is asked to wait when a dependency is down (Retry-After). */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/**
 * A dependency this request needs (the database, Redis, object storage, an embedding
 * provider) is unreachable or restarting: nothing is wrong with the request, and trying
 * again after `Retry-After` should work. The error handler maps such driver errors here
 * (see dependency-errors.ts); which dependency failed is logged, not sent.
 */
export class DependencyUnavailableError extends AppError {
  /** "database", "redis", "storage", "embedding" or "network": for logs only. */
  readonly dependency: string | undefined;

  constructor(options: { dependency?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    const retryAfterSeconds = options.retryAfterSeconds ?? DEPENDENCY_RETRY_AFTER_SECONDS;
    super("A service this request depends on is temporarily unavailable; try again in a few seconds.", {
      code: "SERVICE_UNAVAILABLE",
      retryable: true,
      expose: true,
      details: { retryAfterSeconds },
      headers: { "retry-after": String(retryAfterSeconds) },
      cause: options.cause,
    });
    this.dependency = options.dependency;
  }
}

/** A bug or unexpected failure; the message is logged, never sent. */
export class InternalError extends AppError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: "INTERNAL", ...extra, expose: false });
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

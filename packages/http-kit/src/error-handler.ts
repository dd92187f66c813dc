/**
 * The one error handler: every failure becomes `{ requestId, statusCode, error, message,
 * details? }`. Known errors keep their status and message; schema failures list each
 * failing field; a dependency outage (database, Redis, storage or embedding provider
 * unreachable or restarting, a statement timeout) is a 503 with Retry-After; anything
 * else unexpected (database errors included) is logged in full and answered with a
 * generic 500, so internals never reach a client.
 */
import { QuotaExceededError } from "@docent/db/queries/usage";
import type { ErrorResponse } from "@docent/contracts/common";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { dependencyOutage, isDatabaseTimeout } from "@docent/service-kit/dependency-errors";
import { AppError, DependencyUnavailableError, type FieldIssue } from "@docent/service-kit/errors";

const STATUS_TEXT: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  406: "NOT_ACCEPTABLE",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  411: "LENGTH_REQUIRED",
  413: "PAYLOAD_TOO_LARGE",
  414: "URI_TOO_LONG",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
  431: "HEADERS_TOO_LARGE",
};

/** Fastify's own request errors, with messages we choose (theirs can echo internals). */
const FASTIFY_ERRORS: Record<string, { statusCode: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { statusCode: 400, code: "MALFORMED_JSON", message: "Request body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    statusCode: 400,
    code: "MALFORMED_JSON",
    message: "Request body is empty but content-type is application/json",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { statusCode: 413, code: "PAYLOAD_TOO_LARGE", message: "Request body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    statusCode: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Unsupported content-type; send application/json",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    statusCode: 400,
    code: "BAD_REQUEST",
    message: "Request body size did not match content-length",
  },
};

type ZodLikeIssue = { instancePath: string; message: string; keyword: string; params?: Record<string, unknown> };

const CONTEXT_NAMES: Record<string, string> = { querystring: "query" };

/** Turns schema failures into `{ path, message }` pairs, one per unknown key too. */
export function validationIssues(context: string, issues: ZodLikeIssue[]): FieldIssue[] {
  const root = CONTEXT_NAMES[context] ?? context;
  return issues.flatMap((issue) => {
    const base = [root, ...issue.instancePath.split("/").filter(Boolean)].join(".");
    const keys = issue.params?.keys;
    if (issue.keyword === "unrecognized_keys" && Array.isArray(keys)) {
      return keys.map((key) => ({ path: `${base}.${String(key)}`, message: "unknown field" }));
    }
    return [{ path: base, message: issue.message }];
  });
}

export function toErrorBody(request: FastifyRequest, error: AppError): ErrorResponse {
  return {
    requestId: request.id,
    statusCode: error.statusCode,
    error: error.code,
    message: error.expose ? error.message : "Internal server error",
    ...(error.details === undefined || !error.expose ? {} : { details: error.details }),
  };
}

/** Maps anything thrown to an AppError; unknown errors become an unexposed 500. */
export function normalizeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof QuotaExceededError) {
    return new AppError(error.message, {
      code: error.code,
      statusCode: error.statusCode,
      details: { limit: error.limit, max: error.max, current: error.current, plan: error.planName },
    });
  }
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = validationIssues(fe.validationContext ?? "body", error.validation as unknown as ZodLikeIssue[]);
    return new AppError(`Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
      code: "VALIDATION_FAILED",
      statusCode: 400,
      details: { issues },
    });
  }
  if (isResponseSerializationError(error)) {
    return new AppError("response did not match its schema", { code: "INTERNAL", statusCode: 500, cause: error });
  }
  if (fe.code && FASTIFY_ERRORS[fe.code]) {
    const known = FASTIFY_ERRORS[fe.code]!;
    return new AppError(known.message, { code: known.code, statusCode: known.statusCode, cause: error });
  }
  // Other fastify/plugin client errors (4xx with an FST_ code or a plain statusCode).
  const status = typeof fe.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const safeMessage = fe.code?.startsWith("FST_") && typeof fe.message === "string" ? fe.message : "Bad request";
    return new AppError(safeMessage, { code: STATUS_TEXT[status] ?? "BAD_REQUEST", statusCode: status, cause: error });
  }
  const dependency = dependencyOutage(error) ?? (isDatabaseTimeout(error) ? "database" : undefined);
  if (dependency) return new DependencyUnavailableError({ cause: error, dependency });
  return new AppError(error instanceof Error ? error.message : String(error), {
    code: "INTERNAL",
    statusCode: 500,
    expose: false,
    cause: error,
  });
}

/** The innermost error of a chain, in one line (drizzle's wrapper would quote the SQL and its parameters). */
function describeCause(cause: unknown): string | undefined {
  let inner = cause;
  for (let depth = 0; depth < 8 && inner instanceof Error && inner.cause !== undefined; depth++) inner = inner.cause;
  if (!(inner instanceof Error)) return inner === undefined ? undefined : String(inner);
  const code = (inner as { code?: unknown }).code;
  return typeof code === "string" ? `${inner.name} ${code}: ${inner.message}` : `${inner.name}: ${inner.message}`;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const appError = normalizeError(error);
  if (appError instanceof DependencyUnavailableError) {
    // Expected during an outage, and one line per request: no stack trace.
    request.log.warn(
      { dependency: appError.dependency, cause: describeCause(appError.cause) },
      "dependency unavailable; answered 503",
    );
  } else if (appError.statusCode >= 500) {
    request.log.error({ err: error }, "request failed");
  } else {
    request.log.info({ code: appError.code, statusCode: appError.statusCode }, appError.message);
  }
  if (appError.headers) reply.headers(appError.headers);
  return reply.status(appError.statusCode).send(toErrorBody(request, appError));
}

/** Installs the error and not-found handlers on the root instance. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError(`Route ${request.method} ${request.url.split("?")[0]} not found`, {
        code: "ROUTE_NOT_FOUND",
        statusCode: 404,
      }),
    ),
  );
}

/**
 * The one error handler: every failure becomes `{ requestId, statusCode, error, message,
 * details? }`. Known errors keep their status and message; schema failures list each
 * failing field; a dependency outage (database, Redis, storage or embedding provider
 * unreachable or restarting, a statement timeout) is a 503 with Retry-After; anything
 * else unexpected (database errors included) is logged in full and answered with a
 * generic 500, so internals never reach a client.
 */
import type { ErrorResponse } from "@docent/contracts/common";
import { type ErrorCode, errorCodes, errorStatuses } from "@docent/contracts/errors";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { dependencyOutage, isDatabaseTimeout } from "@docent/service-kit/dependency-errors";
import { AppError, DependencyUnavailableError, type FieldIssue } from "@docent/service-kit/errors";
import type { ErrorLogWriter } from "@docent/service-kit/error-log";

/** The code of a client error a Fastify plugin answered by status alone (the table's first code with that status). */
const CODE_OF_STATUS = new Map<number, ErrorCode>();
for (const code of errorCodes) if (!CODE_OF_STATUS.has(errorStatuses[code])) CODE_OF_STATUS.set(errorStatuses[code], code);

/** Fastify's own request errors, with messages we choose (theirs can echo internals). */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "MALFORMED_JSON", message: "Request body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "MALFORMED_JSON", message: "Request body is empty but content-type is application/json" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE", message: "Request body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Unsupported content-type; send application/json" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "BAD_REQUEST", message: "Request body size did not match content-length" },
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
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = validationIssues(fe.validationContext ?? "body", error.validation as unknown as ZodLikeIssue[]);
    return new AppError(`Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
      code: "VALIDATION_FAILED",
      details: { issues },
    });
  }
  if (isResponseSerializationError(error)) {
    return new AppError("response did not match its schema", { code: "INTERNAL", cause: error });
  }
  if (fe.code && FASTIFY_ERRORS[fe.code]) {
    const known = FASTIFY_ERRORS[fe.code]!;
    return new AppError(known.message, { code: known.code, cause: error });
  }
  // Other fastify/plugin client errors (4xx with an FST_ code or a plain statusCode).
  const status = typeof fe.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const safeMessage = fe.code?.startsWith("FST_") && typeof fe.message === "string" ? fe.message : "Bad request";
    return new AppError(safeMessage, { code: CODE_OF_STATUS.get(status) ?? "BAD_REQUEST", cause: error });
  }
  const dependency = dependencyOutage(error) ?? (isDatabaseTimeout(error) ? "database" : undefined);
  if (dependency) return new DependencyUnavailableError({ cause: error, dependency });
  return new AppError(error instanceof Error ? error.message : String(error), {
    code: "INTERNAL",
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The bot and workspace a failed request was about, when its path or access names them. */
function tenantOf(request: FastifyRequest): { botId: string | null; workspaceId: string | null } {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const pick = (value: unknown) => (typeof value === "string" && UUID.test(value) ? value : null);
  const access = (request as { access?: { workspaceId?: string } }).access;
  return { botId: pick(params.botId), workspaceId: pick(params.workspaceId) ?? pick(access?.workspaceId) };
}

/** Records a 5xx in the error log without waiting for it (best effort; see @docent/service-kit/error-log). */
export function logServerError(errorLog: ErrorLogWriter | undefined, request: FastifyRequest, appError: AppError) {
  if (!errorLog || appError.statusCode < 500) return;
  // An unexposed error's own message may be a wrapper's that quotes SQL and its parameters:
  // record the innermost cause's first line instead (as the log line above does).
  const raw = appError.expose ? appError.message : (describeCause(appError.cause) ?? appError.message);
  void errorLog.record({
    errorType: appError.code,
    message: (raw.split("\n")[0] ?? "").slice(0, 500),
    statusCode: appError.statusCode,
    requestId: request.id,
    operation: `${request.method} ${request.routeOptions?.url ?? request.url.split("?")[0]}`,
    ...tenantOf(request),
  });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, errorLog?: ErrorLogWriter) {
  const appError = normalizeError(error);
  logServerError(errorLog, request, appError);
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
export function registerErrorHandler(app: FastifyInstance, errorLog?: ErrorLogWriter): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error, errorLog));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError(`Route ${request.method} ${request.url.split("?")[0]} not found`, {
        code: "ROUTE_NOT_FOUND",
      }),
    ),
  );
}

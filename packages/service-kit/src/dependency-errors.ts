/**
 * Tells a dependency outage (PostgreSQL, Redis, object storage or an embedding provider
 * unreachable, restarting or refusing work for a while) apart from bad input and bugs.
 * The API and chat services answer an outage 503 with Retry-After; the ingest worker
 * waits it out instead of spending a document's attempts on it.
 *
 * Errors arrive wrapped (drizzle's "Failed query" around the driver's error, an AppError
 * around its cause), so the cause chain is walked; an error of a domain family that
 * decided its own meaning (an AppError, an ingest error such as a failed URL fetch)
 * stops the walk: a user's web site refusing connections is not our outage.
 */
import { EmbeddingError } from "@docent/embeddings/errors";

export type Dependency = "database" | "redis" | "storage" | "embedding" | "network";

/** SQLSTATEs of a server that cannot take work right now (as opposed to a failing query). */
const POSTGRES_UNAVAILABLE = new Set([
  "57P01", // admin_shutdown: the server is shutting down or restarting
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, or in recovery
  "53300", // too_many_connections
]);

/** postgres.js's own connection error codes. */
const POSTGRES_CLIENT_CONNECTION = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);

/** Socket-level failures of Node itself. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/** Redis answers these while it cannot serve (loading its data after a restart, failover). */
const REDIS_BUSY_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

type Loose = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  severity?: unknown;
  syscall?: unknown;
  cause?: unknown;
  retryable?: unknown;
  statusCode?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: unknown;
};

const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null;

function isPostgresError(e: Loose): boolean {
  return e.name === "PostgresError" && typeof e.code === "string" && typeof e.severity === "string";
}

function redisOutage(e: Loose): boolean {
  const message = typeof e.message === "string" ? e.message : "";
  if (e.name === "MaxRetriesPerRequestError") return true;
  if (message === "Connection is closed." || message.startsWith("Stream isn't writeable")) return true;
  if (message === "Command timed out") return true;
  if (e.name === "AbortError" && message.startsWith("Command aborted")) return true;
  return e.name === "ReplyError" && REDIS_BUSY_REPLY.test(message);
}

/** A network failure or a 5xx of the S3 SDK (it marks every error with `$metadata`). */
function storageOutage(e: Loose): boolean {
  if (!e.$metadata) return false;
  const status = e.$metadata.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  if (e.$fault === "server" || e.name === "TimeoutError") return true;
  return typeof e.code === "string" && NETWORK_CODES.has(e.code);
}

/**
 * An embedding provider that could not be reached, timed out, or said it is overloaded
 * (429, 502-504). A 500 may be caused by the input, so it stays an ordinary failure.
 */
function embeddingOutage(e: EmbeddingError): boolean {
  if (!e.retryable) return false;
  const status = e.providerStatus;
  if (status === undefined) {
    // The openai client's connection errors (its timeout error is a subclass); their
    // `name` is plain "Error", so the class decides.
    const causeClass = isObject(e.cause) ? e.cause.constructor.name : undefined;
    return causeClass === "APIConnectionError" || causeClass === "APIConnectionTimeoutError";
  }
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Which dependency is unavailable, or undefined when `error` is not an outage. */
export function dependencyOutage(error: unknown): Dependency | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isObject(current); depth++) {
    const e = current;
    if (e instanceof EmbeddingError) return embeddingOutage(e) ? "embedding" : undefined;
    if (isPostgresError(e)) {
      const code = e.code as string;
      return code.startsWith("08") || POSTGRES_UNAVAILABLE.has(code) ? "database" : undefined;
    }
    if (typeof e.code === "string" && POSTGRES_CLIENT_CONNECTION.has(e.code)) return "database";
    if (redisOutage(e)) return "redis";
    if (storageOutage(e)) return "storage";
    if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) {
      // postgres.js attaches the failed query to the socket errors it passes on.
      return "query" in e ? "database" : "network";
    }
    // Errors that carry their own verdict (AppError, ingest and fetch errors) end the walk.
    if (typeof e.retryable === "boolean" || typeof e.statusCode === "number") return undefined;
    current = e.cause;
  }
  return undefined;
}

/** PostgreSQL cancelled the statement: `statement_timeout` (or a lock wait) ran out. */
export function isDatabaseTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isObject(current); depth++) {
    if (isPostgresError(current)) return current.code === "57014" || current.code === "55P03";
    current = current.cause;
  }
  return false;
}

/**
 * Control-flow signals and the worker's own failures. Whether a failure is worth
 * retrying comes from the error itself (`retryable`), as every ingest and embedding
 * error carries it; anything unknown (a dropped connection, a timeout) is retried.
 */

/** The document was deleted or re-indexed since this job was made: drop the job. */
export class StaleJobError extends Error {
  constructor(public readonly reason: "deleted" | "superseded" | "finished") {
    super(`job is stale: document ${reason}`);
    this.name = "StaleJobError";
  }
}

/**
 * Another worker owns this job now: this one's lock lapsed (it stalled, or lost Redis for
 * longer than the lock lasts) and the job was handed on. Stop without writing anything;
 * the job and the document belong to the new owner.
 */
export class LockLostError extends Error {
  constructor() {
    super("job lock lost; another worker owns the job now");
    this.name = "LockLostError";
  }
}

/** The process is shutting down: hand the job back to the queue for another worker. */
export class ReleaseJobError extends Error {
  constructor() {
    super("worker shutting down; job released");
    this.name = "ReleaseJobError";
  }
}

/** A failure that retrying cannot fix, with a message meant for the document's owner. */
export class PermanentDocumentError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentDocumentError";
  }
}

export function isRetryable(error: unknown): boolean {
  const flag = (error as { retryable?: unknown })?.retryable;
  return typeof flag === "boolean" ? flag : true;
}

/**
 * What the document's owner reads when processing fails. Errors of the ingest and
 * embedding families are written for people; anything else may carry internals
 * (SQL, hostnames), so it gets a generic sentence and the details go to the log.
 */
export function documentErrorMessage(error: unknown): string {
  if (error && typeof error === "object" && typeof (error as { retryable?: unknown }).retryable === "boolean") {
    return (error as Error).message;
  }
  return "Processing was interrupted by an internal error.";
}

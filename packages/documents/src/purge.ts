/**
 * Removes a deleted document for good: its row (the chunks go by cascade), its deletion
 * record and its stored original. The DELETE request runs it at once with a short lock
 * timeout; when a worker holds the row (an ingest commit in progress) that worker runs it
 * instead at its next checkpoint, and the worker's reaper sweeps up anything left.
 */
import type { Logger } from "@docent/config/logger";
import type { Executor } from "@docent/db/client";
import { botDocumentDeletions, botDocuments } from "@docent/db/schema";
import type { ObjectStorage } from "@docent/storage";
import { eq, sql } from "drizzle-orm";

export type PurgeOutcome = "purged" | "busy";

/** SQLSTATE 55P03: the lock_timeout ran out while waiting for the row. */
function isLockTimeout(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === "55P03") return true;
    e = e.cause as typeof e;
  }
  return false;
}

export async function purgeDeletedDocument(
  deps: { db: Executor; storage: ObjectStorage; logger: Logger },
  documentId: string,
  options: { lockTimeoutMs?: number } = {},
): Promise<PurgeOutcome> {
  // The stored original goes first: if storage is down this throws, the deletion stays
  // recorded and is tried again later, instead of leaving an object nothing points to.
  const [before] = await deps.db
    .select({ storageKey: botDocuments.storageKey })
    .from(botDocuments)
    .where(eq(botDocuments.id, documentId));
  if (before?.storageKey) await deps.storage.delete(before.storageKey);
  let storageKey: string | null;
  try {
    storageKey = await deps.db.transaction(async (tx) => {
      if (options.lockTimeoutMs) {
        await tx.execute(sql`select set_config('lock_timeout', ${`${options.lockTimeoutMs}ms`}, true)`);
      }
      const [row] = await tx
        .delete(botDocuments)
        .where(eq(botDocuments.id, documentId))
        .returning({ storageKey: botDocuments.storageKey });
      await tx.delete(botDocumentDeletions).where(eq(botDocumentDeletions.documentId, documentId));
      return row?.storageKey ?? null;
    });
  } catch (error) {
    if (isLockTimeout(error)) return "busy";
    throw error;
  }
  // A URL document's commit may have stored a newer original in between.
  if (storageKey && storageKey !== before?.storageKey) {
    await deps.storage.delete(storageKey).catch((error: unknown) => {
      deps.logger.warn({ err: error, documentId }, "stored original of a deleted document not deleted");
    });
  }
  return "purged";
}

/**
 * The API's reads and writes of a bot's documents: plain functions over a Database or an
 * open Transaction. Every read and write is scoped by bot id as well as document id, so a
 * document of another bot (another tenant) is simply not found; a document whose deletion
 * was recorded is not found either, even while its row waits to be removed.
 * `purgeDeletedDocument` removes a deleted document for good (the API's DELETE, the
 * worker at its next checkpoint, and the worker's reaper run it).
 *
 * The ingest worker's own reads and writes are in ./bot-documents.
 */
import type { Logger } from "@docent/config/logger";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { botDocumentDeletions, botDocuments, bots } from "../schema";
import type { BotDocument } from "./bot-documents";
import { notDeleted } from "./document-deletions";

export type DocumentRow = BotDocument;
export type NewDocumentRow = typeof botDocuments.$inferInsert;
export type { DocumentStatus } from "./bot-documents";

export interface BotContext {
  id: string;
  workspaceId: string;
  /** Postgres text-search configuration for this bot's chunks. */
  language: string;
  chunkSize: number;
  chunkOverlap: number;
}

export async function getBotContext(db: Executor, botId: string): Promise<BotContext | undefined> {
  const [row] = await db
    .select({
      id: bots.id,
      workspaceId: bots.workspaceId,
      language: bots.language,
      ragConfig: bots.ragConfig,
    })
    .from(bots)
    .where(eq(bots.id, botId));
  if (!row) return undefined;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    language: row.language,
    chunkSize: row.ragConfig.chunkSize,
    chunkOverlap: row.ragConfig.chunkOverlap,
  };
}

/** Serialises document creation per bot, so two uploads cannot both take the last slot. */
export async function lockBot(tx: Executor, botId: string): Promise<boolean> {
  const rows = await tx.execute(sql`select 1 from ${bots} where ${bots.id} = ${botId} for update`);
  return rows.length > 0;
}

/** The bot's document with this id: another bot's (another tenant's) is not found. */
const ofBot = (botId: string, documentId: string) => and(eq(botDocuments.botId, botId), eq(botDocuments.id, documentId));

export async function insertDocument(db: Executor, values: NewDocumentRow): Promise<DocumentRow> {
  const [row] = await db.insert(botDocuments).values(values).returning();
  return row!;
}

export async function getDocument(
  db: Executor,
  botId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(botDocuments).where(and(ofBot(botId, documentId), notDeleted()));
  return row;
}

export async function listDocuments(
  db: Executor,
  botId: string,
  options: { status?: DocumentRow["status"]; limit: number; offset: number },
): Promise<DocumentRow[]> {
  return db
    .select()
    .from(botDocuments)
    .where(
      and(
        eq(botDocuments.botId, botId),
        options.status ? eq(botDocuments.status, options.status) : undefined,
        notDeleted(),
      ),
    )
    .orderBy(desc(botDocuments.createdAt), desc(botDocuments.id))
    .limit(options.limit)
    .offset(options.offset);
}

const requeueValues = {
  // A document still waiting for its job keeps its version: enqueueing the same
  // (document, version) again is then a no-op in BullMQ, so a double click makes one job.
  // Any other state gets a new version, hence a new job, and any running job turns stale.
  version: sql`case when ${botDocuments.status} = 'PENDING' then ${botDocuments.version} else ${botDocuments.version} + 1 end`,
  status: "PENDING" as const,
  stage: "queued",
  progress: 0,
  errorMessage: null,
};

export async function requestReindex(
  db: Executor,
  botId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  const [row] = await db
    .update(botDocuments)
    .set(requeueValues)
    .where(and(ofBot(botId, documentId), notDeleted()))
    .returning();
  return row;
}

/**
 * Replaces a document's metadata. Filters read it at once: no re-index, and `updated_at`
 * moves so the admin's list shows the change.
 */
export async function updateDocumentMetadata(
  db: Executor,
  botId: string,
  documentId: string,
  metadata: DocumentRow["metadata"],
): Promise<DocumentRow | undefined> {
  const [row] = await db
    .update(botDocuments)
    .set({ metadata, updatedAt: sql`now()` })
    .where(and(ofBot(botId, documentId), notDeleted()))
    .returning();
  return row;
}

export async function requestReindexAll(db: Executor, botId: string): Promise<DocumentRow[]> {
  return db
    .update(botDocuments)
    .set(requeueValues)
    .where(and(eq(botDocuments.botId, botId), notDeleted()))
    .returning();
}

/**
 * Records the deletion of a document and returns its row, or undefined when the bot has no
 * such (undeleted) document. One insert that never waits on the document row: an ingest
 * commit may hold that row locked for as long as its COPY runs. The row itself is removed
 * by purgeDeletedDocument.
 */
export async function markDocumentDeleted(
  db: Executor,
  botId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(botDocuments).where(ofBot(botId, documentId));
  if (!row) return undefined;
  const marked = await db
    .insert(botDocumentDeletions)
    .values({ documentId: row.id, botId: row.botId })
    .onConflictDoNothing()
    .returning({ documentId: botDocumentDeletions.documentId });
  return marked.length > 0 ? row : undefined;
}

// ---- Removing a deleted document ----

/** What purging needs of object storage (an @docent/storage ObjectStorage has it). */
export interface StoredObjectRemover {
  delete(key: string): Promise<void>;
}

export type PurgeOutcome = "purged" | "busy";

/** SQLSTATE 55P03: the lock_timeout ran out while waiting for the row. */
function isLockTimeout(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === "55P03") return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * Removes a deleted document for good: its row (the chunks go by cascade), its deletion
 * record and its stored original. The DELETE request runs it at once with a short lock
 * timeout; when a worker holds the row (an ingest commit in progress) that worker runs it
 * instead at its next checkpoint, and the worker's reaper sweeps up anything left.
 */
export async function purgeDeletedDocument(
  deps: { db: Executor; storage: StoredObjectRemover; logger: Pick<Logger, "warn"> },
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

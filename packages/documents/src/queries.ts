/**
 * Data access for documents: plain functions over a Database or an open Transaction.
 * Every read and write is scoped by bot id as well as document id, so a document of
 * another bot (another tenant) is simply not found; a document whose deletion was
 * recorded is not found either, even while its row waits to be removed.
 */
import type { Executor } from "@docent/db/client";
import { notDeleted } from "@docent/db/queries/document-deletions";
import { botDocumentChunks, botDocumentDeletions, botDocuments, bots } from "@docent/db/schema";
import { and, desc, eq, sql } from "drizzle-orm";

export type DocumentRow = typeof botDocuments.$inferSelect;
export type NewDocumentRow = typeof botDocuments.$inferInsert;
export type DocumentStatus = DocumentRow["status"];

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

export async function insertDocument(db: Executor, values: NewDocumentRow): Promise<DocumentRow> {
  const [row] = await db.insert(botDocuments).values(values).returning();
  return row!;
}

export async function getDocument(
  db: Executor,
  botId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(botDocuments)
    .where(and(eq(botDocuments.botId, botId), eq(botDocuments.id, documentId), notDeleted()));
  return row;
}

export async function listDocuments(
  db: Executor,
  botId: string,
  options: { status?: DocumentStatus; limit: number; offset: number },
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
    .where(and(eq(botDocuments.botId, botId), eq(botDocuments.id, documentId), notDeleted()))
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
  const [row] = await db
    .select()
    .from(botDocuments)
    .where(and(eq(botDocuments.botId, botId), eq(botDocuments.id, documentId)));
  if (!row) return undefined;
  const marked = await db
    .insert(botDocumentDeletions)
    .values({ documentId: row.id, botId: row.botId })
    .onConflictDoNothing()
    .returning({ documentId: botDocumentDeletions.documentId });
  return marked.length > 0 ? row : undefined;
}

export async function countChunks(db: Executor, documentId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(botDocumentChunks)
    .where(eq(botDocumentChunks.documentId, documentId));
  return row?.n ?? 0;
}

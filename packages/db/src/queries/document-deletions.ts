/**
 * Deleted documents (see schema/bot-document-deletions.ts) are gone for every reader the
 * moment the deletion is recorded, even while their row waits for a worker to let go.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { botDocumentDeletions, botDocuments } from "../schema";

/** True when the document with this id has a deletion recorded (a column or a condition). */
export function deletionRecorded(documentId: AnyPgColumn | SQL = botDocuments.id): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${botDocumentDeletions} where ${botDocumentDeletions.documentId} = ${documentId})`;
}

/** A WHERE condition: the document with this id has no deletion recorded. */
export function notDeleted(documentId: AnyPgColumn | SQL = botDocuments.id): SQL {
  return sql`not ${deletionRecorded(documentId)}`;
}

export async function isDeletionRecorded(db: Executor, documentId: string): Promise<boolean> {
  const rows = await db
    .select({ documentId: botDocumentDeletions.documentId })
    .from(botDocumentDeletions)
    .where(eq(botDocumentDeletions.documentId, documentId))
    .limit(1);
  return rows.length > 0;
}

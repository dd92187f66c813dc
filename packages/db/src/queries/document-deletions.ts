/**
 * Deleted documents (see schema/bot-document-deletions.ts) are gone for every reader the
 * moment the deletion is recorded, even while their row waits for a worker to let go.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { botDocumentDeletions, botDocuments } from "../schema";

/** A WHERE condition: the document with this id has no deletion recorded. */
export function notDeleted(documentId: AnyPgColumn | SQL = botDocuments.id): SQL {
  return sql`not exists (select 1 from ${botDocumentDeletions} where ${botDocumentDeletions.documentId} = ${documentId})`;
}

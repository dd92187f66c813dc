import { index, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { bots } from "./bots";

/**
 * Documents deleted while a worker may still hold them. DELETE writes a row here (never
 * waiting on the document row, which an ingest commit keeps locked for as long as its
 * COPY runs), and every listing hides documents that have one; whoever gets the document
 * row next (the request itself, the worker at its next checkpoint, the reaper) removes
 * the document, its chunks and stored objects, then this row.
 *
 * No foreign key to bot_documents on purpose: checking one would wait on that lock.
 */
export const botDocumentDeletions = pgTable(
  "bot_document_deletions",
  {
    documentId: uuid().primaryKey(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    requestedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [index().on(t.requestedAt)],
);

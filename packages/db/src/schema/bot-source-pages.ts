import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamps, id } from "./_columns";
import { botDocuments } from "./bot-documents";
import { botSources } from "./bot-sources";
import { sourcePageStatus } from "./enums";

/**
 * A page of a source as the last run that reached it left it. `url` is the page's
 * canonical address without its fragment; the validators and hashes decide whether a
 * later run must extract and embed it again.
 */
export const botSourcePages = pgTable(
  "bot_source_pages",
  {
    id: id(),
    sourceId: uuid()
      .notNull()
      .references(() => botSources.id, { onDelete: "cascade" }),
    url: text().notNull(),
    /** The page's document; null while the page has none (failed or skipped). */
    documentId: uuid().references(() => botDocuments.id, { onDelete: "set null" }),
    status: sourcePageStatus().notNull(),
    /** Why the page failed or was skipped. */
    reason: text(),
    depth: integer().default(0).notNull(),
    /** Validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
    etag: text(),
    lastModified: text(),
    /** hex SHA-256 of the bytes served: equal bytes need no parsing at all. */
    bodyHash: varchar({ length: 64 }),
    /** hex SHA-256 of the main content: a new footer or ad is not a change. */
    contentHash: varchar({ length: 64 }),
    /** Links in scope found on the page, kept so an unchanged page is not parsed again. */
    links: text().array().default(sql`'{}'::text[]`).notNull(),
    /** What a document of this page inherits (lead wires it into document metadata). */
    path: text(),
    lang: varchar({ length: 35 }),
    title: text(),
    lastRunId: uuid(),
    fetchedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.sourceId, t.url), index().on(t.documentId)],
);

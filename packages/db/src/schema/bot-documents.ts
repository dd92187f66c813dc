import { relations, sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { DocumentMetadata } from "@docent/contracts/metadata";
import { id, timestamps } from "./_columns";
import { botDocumentChunks } from "./bot-document-chunks";
import { botSources } from "./bot-sources";
import { bots } from "./bots";
import { documentSourceType, documentStatus } from "./enums";
import { users } from "./users";

/** A source of knowledge for a bot: an uploaded file, a URL, pasted text or a page of a website source. */
export const botDocuments = pgTable(
  "bot_documents",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Display name only (the original file name or page title); never used as a path. */
    name: varchar({ length: 255 }).notNull(),
    sourceType: documentSourceType().default("FILE_UPLOAD").notNull(),
    /** MIME type decided from the bytes (magic numbers), not from the client. */
    mimeType: varchar({ length: 127 }),
    sizeBytes: bigint({ mode: "number" }).default(0).notNull(),
    /** Server-generated object-storage key of the original; null for pasted text until stored. */
    storageKey: text().unique(),
    sourceUrl: text(),
    /**
     * The website source this page came from (source_type WEB_PAGE); deleting the source
     * deletes its documents through the document delete path, not by cascade.
     */
    sourceId: uuid().references((): AnyPgColumn => botSources.id, { onDelete: "set null" }),
    /** hex SHA-256 of the original bytes. */
    contentHash: varchar({ length: 64 }),
    status: documentStatus().default("PENDING").notNull(),
    /** Human-readable reason when FAILED. */
    errorMessage: text(),
    /** Current pipeline stage: queued, download, extract, chunk, embed, store. */
    stage: varchar({ length: 16 }),
    progress: smallint().default(0).notNull(),
    chunkCount: integer().default(0).notNull(),
    /** Bumped on every (re)index request; part of the job id so a re-index is never deduplicated away. */
    version: integer().default(1).notNull(),
    /**
     * The ingest run (one attempt of one worker) allowed to write this document. Each run
     * claims it when it starts; a worker whose job was handed to another (its lock lapsed)
     * finds it changed at its next checkpoint or at commit, and stops without writing.
     */
    ingestRunId: uuid(),
    /**
     * Set when an outage of this dependency ("database", "redis", "storage", "embedding")
     * outlasted the worker's deadline and FAILED the document: the worker's reaper queues
     * it again once the dependency answers. Null for failures a retry cannot fix.
     */
    outageDependency: varchar({ length: 16 }),
    processedAt: timestamp({ withTimezone: true }),
    /**
     * The document's own key/values (`documentMetadataSchema`: strings, numbers, string
     * lists), set on upload, by API or in the admin; retrieval's metadata filters match it
     * (queries/metadata-filter.ts). The GIN index serves the filters' containment tests.
     */
    metadata: jsonb().$type<DocumentMetadata>().default({}).notNull(),
    ...timestamps(),
  },
  (t) => [
    index().on(t.botId, t.sourceType, t.status),
    index().on(t.status, t.updatedAt),
    index().on(t.sourceId),
    index("bot_documents_metadata_idx").using("gin", t.metadata.op("jsonb_path_ops")),
    check("bot_documents_progress_range", sql`${t.progress} between 0 and 100`),
  ],
);

export const botDocumentsRelations = relations(botDocuments, ({ one, many }) => ({
  bot: one(bots, { fields: [botDocuments.botId], references: [bots.id] }),
  chunks: many(botDocumentChunks),
}));

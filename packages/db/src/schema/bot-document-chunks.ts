import { relations } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uuid,
  varchar,
  vector,
} from "drizzle-orm/pg-core";
import type { ChunkMetadata } from "@docent/contracts/json";
import { createdAt, id } from "./_columns";
import { botDocuments } from "./bot-documents";
import { bots } from "./bots";

/** Every embedding in Docent has this many dimensions; providers returning another fail. */
export const EMBEDDING_DIMENSIONS = 768;

/** Postgres `regconfig`: a text-search configuration name such as 'english'. */
const regconfig = customType<{ data: string; driverData: string }>({
  dataType: () => "regconfig",
});

/**
 * Retrieval units. Besides the columns below, custom migrations add
 * `search_vector tsvector GENERATED ALWAYS AS (to_tsvector(text_search_config, content))`
 * and `search_length` (its length in positions), the HNSW (vector_cosine_ops) index on
 * `embedding`, and triggers that keep the BM25 statistics and postings (`bot_term_stats`,
 * `bot_search_stats`, `bot_chunk_postings`); they are SQL only, so drizzle-kit never
 * tries to manage them.
 */
export const botDocumentChunks = pgTable(
  "bot_document_chunks",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    documentId: uuid()
      .notNull()
      .references(() => botDocuments.id, { onDelete: "cascade" }),
    chunkIndex: integer().notNull(),
    content: text().notNull(),
    /** hex SHA-256 of `content`; with `embeddingModel`, lets re-index skip unchanged chunks. */
    contentHash: varchar({ length: 64 }).notNull(),
    tokenCount: integer().notNull(),
    /** Page, heading path and character offsets: see `chunkMetadataSchema`. */
    metadata: jsonb().$type<ChunkMetadata>().notNull(),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    /** "<provider>:<model>", e.g. "local:lexical-hash-v1" or "openai:text-embedding-3-small". */
    embeddingModel: varchar({ length: 200 }).notNull(),
    /** Copied from the bot's language when the chunk is written. */
    textSearchConfig: regconfig().default("english").notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.documentId, t.chunkIndex), index().on(t.botId)],
);

export const botDocumentChunksRelations = relations(botDocumentChunks, ({ one }) => ({
  bot: one(bots, { fields: [botDocumentChunks.botId], references: [bots.id] }),
  document: one(botDocuments, {
    fields: [botDocumentChunks.documentId],
    references: [botDocuments.id],
  }),
}));

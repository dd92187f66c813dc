import { relations } from "drizzle-orm";
import { index, integer, pgTable, real, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { botDocumentChunks } from "./bot-document-chunks";
import { botDocuments } from "./bot-documents";
import { messages } from "./messages";

/**
 * The sources an answer cites, in marker order ([1], [2]...). The quoted text is kept so a
 * citation stays readable after its chunk is re-indexed away (chunk_id then becomes null).
 */
export const messageCitations = pgTable(
  "message_citations",
  {
    id: id(),
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    chunkId: uuid().references(() => botDocumentChunks.id, { onDelete: "set null" }),
    documentId: uuid().references(() => botDocuments.id, { onDelete: "set null" }),
    /** The [n] marker in the answer, 1-based. */
    rank: integer().notNull(),
    score: real().notNull(),
    quote: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.messageId, t.rank), index().on(t.documentId), index().on(t.chunkId)],
);

export const messageCitationsRelations = relations(messageCitations, ({ one }) => ({
  message: one(messages, { fields: [messageCitations.messageId], references: [messages.id] }),
  chunk: one(botDocumentChunks, {
    fields: [messageCitations.chunkId],
    references: [botDocumentChunks.id],
  }),
  document: one(botDocuments, {
    fields: [messageCitations.documentId],
    references: [botDocuments.id],
  }),
}));

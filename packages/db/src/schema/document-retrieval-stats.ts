import { relations } from "drizzle-orm";
import { bigint, index, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";
import { botDocuments } from "./bot-documents";
import { bots } from "./bots";

/** How often each document is retrieved and cited (seed 004's training_source_stats). */
export const documentRetrievalStats = pgTable(
  "document_retrieval_stats",
  {
    documentId: uuid()
      .primaryKey()
      .references(() => botDocuments.id, { onDelete: "cascade" }),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    retrievalCount: bigint({ mode: "number" }).default(0).notNull(),
    citationCount: bigint({ mode: "number" }).default(0).notNull(),
    lastRetrievedAt: timestamp({ withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.botId)],
);

export const documentRetrievalStatsRelations = relations(documentRetrievalStats, ({ one }) => ({
  document: one(botDocuments, {
    fields: [documentRetrievalStats.documentId],
    references: [botDocuments.id],
  }),
}));

import { relations } from "drizzle-orm";
import { bigint, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { bots } from "./bots";

/**
 * Keyword-retrieval statistics for BM25, per bot: how many chunks contain each lexeme
 * (document frequency, for IDF). Maintained only by statement-level triggers on
 * `bot_document_chunks` (custom migration 0005), so every writer of chunks (the worker,
 * tests, scripts) keeps it right without knowing it exists. Never written by the app.
 *
 * The same triggers keep `bot_chunk_postings` (custom migration 0017, SQL only so
 * drizzle-kit never manages it): one row per (chunk, lexeme) with the lexeme's term
 * frequency, the chunk's length and its document, keyed (bot_id, term, chunk_id) with
 * those values in the key's index, so keyword search reads a term's postings with index-only scans (see
 * `queries/retrieval.ts`).
 */
export const botTermStats = pgTable(
  "bot_term_stats",
  {
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    /** A lexeme of the chunks' `search_vector` (already stemmed by the bot's text-search config). */
    term: text().notNull(),
    docFreq: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.term] })],
);

/**
 * Per-bot chunk count and total chunk length in lexeme positions (BM25's N and avgdl),
 * maintained by the same triggers. `chunkCount` also lets vector retrieval choose an
 * exact scan for small bots without counting rows.
 */
export const botSearchStats = pgTable("bot_search_stats", {
  botId: uuid()
    .primaryKey()
    .references(() => bots.id, { onDelete: "cascade" }),
  chunkCount: bigint({ mode: "number" }).default(0).notNull(),
  totalLength: bigint({ mode: "number" }).default(0).notNull(),
});

export const botTermStatsRelations = relations(botTermStats, ({ one }) => ({
  bot: one(bots, { fields: [botTermStats.botId], references: [bots.id] }),
}));

export const botSearchStatsRelations = relations(botSearchStats, ({ one }) => ({
  bot: one(bots, { fields: [botSearchStats.botId], references: [bots.id] }),
}));

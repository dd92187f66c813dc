import { relations, sql } from "drizzle-orm";
import { bigint, customType, integer, pgSequence, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
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
 * `queries/bm25.ts`).
 */
/** Versions of a bot's term postings: every change to a term's postings takes the next value. */
export const botTermStatsVersion = pgSequence("bot_term_stats_version_seq");

export const botTermStats = pgTable(
  "bot_term_stats",
  {
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    /** A lexeme of the chunks' `search_vector` (already stemmed by the bot's text-search config). */
    term: text().notNull(),
    docFreq: integer().notNull(),
    /**
     * Set from `bot_term_stats_version_seq` by the triggers (custom migration 0025) in the
     * transaction that changes the term's postings: a packed copy of the postings
     * (`bot_term_packs`) made at this version holds exactly them.
     */
    version: bigint({ mode: "number" })
      .notNull()
      .default(sql`nextval('bot_term_stats_version_seq')`),
  },
  (t) => [primaryKey({ columns: [t.botId, t.term] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A term's postings packed into one value (22 bytes each: the chunk id, tf as int2, the
 * chunk's length as int4), as of `version` of the term's statistics. Keyword search reads
 * a packed term when its version is the statistics' version in the same snapshot (then it
 * holds exactly the term's postings), and the index otherwise; it re-packs the terms it
 * read from the index, after answering. Stored uncompressed out of line (custom migration
 * 0025), so a slice reads only its own part.
 */
export const botTermPacks = pgTable(
  "bot_term_packs",
  {
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    term: text().notNull(),
    version: bigint({ mode: "number" }).notNull(),
    postings: bytea().notNull(),
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

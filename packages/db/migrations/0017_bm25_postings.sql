-- BM25 postings: one row per (chunk, lexeme) with the lexeme's term frequency and the
-- chunk's length (and the chunk's document, for filters), keyed (bot, term, chunk). Keyword search reads the postings of a
-- question's rarer terms with index-only scans and sums their BM25 weights per chunk, then
-- looks the common terms up only for the best candidates (queries/retrieval.ts), instead
-- of decompressing the tsvector of every chunk that holds a question term. Maintained by
-- the statement-level triggers that keep the term statistics (migration 0005), so every
-- writer of chunks keeps them right. They replace the GIN index on search_vector, which
-- nothing reads any more.
CREATE TABLE "bot_chunk_postings" (
  "bot_id" uuid NOT NULL,
  "term" text NOT NULL,
  "chunk_id" uuid NOT NULL,
  "document_id" uuid NOT NULL,
  "tf" smallint NOT NULL,
  "length" integer NOT NULL
);
--> statement-breakpoint
-- The statistics trigger of migration 0005, now also keeping the postings.
CREATE OR REPLACE FUNCTION "docent_bm25_stats_apply"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
      SELECT n."bot_id", t.term, count(*)::integer
      FROM new_rows n, unnest(tsvector_to_array(n."search_vector")) AS t(term)
      GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("bot_id", "term") DO UPDATE
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq";
    INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
      SELECT n."bot_id", count(*), coalesce(sum(n."search_length"), 0)
      FROM new_rows n GROUP BY 1 ORDER BY 1
    ON CONFLICT ("bot_id") DO UPDATE
      SET "chunk_count" = "bot_search_stats"."chunk_count" + excluded."chunk_count",
          "total_length" = "bot_search_stats"."total_length" + excluded."total_length";
    INSERT INTO "bot_chunk_postings" ("bot_id", "term", "chunk_id", "document_id", "tf", "length")
      SELECT n."bot_id", u.lexeme, n."id", n."document_id", coalesce(array_length(u.positions, 1), 1), n."search_length"
      FROM new_rows n, unnest(n."search_vector") u;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM "bot_chunk_postings" p
      USING old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)
      WHERE p."bot_id" = o."bot_id" AND p."term" = t.term AND p."chunk_id" = o."id";
    -- Decrements as a sorted upsert like the INSERT branch (same lock order), then the
    -- bot's lexemes that reached zero are removed. Bots being deleted (the cascade that
    -- removes their chunks) are skipped: their statistics rows go with them, and an upsert
    -- for them would fail its foreign key.
    INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
      SELECT o."bot_id", t.term, -count(*)::integer
      FROM old_rows o JOIN "bots" b ON b."id" = o."bot_id",
           unnest(tsvector_to_array(o."search_vector")) AS t(term)
      GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("bot_id", "term") DO UPDATE
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq";
    INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
      SELECT o."bot_id", -count(*), -coalesce(sum(o."search_length"), 0)
      FROM old_rows o JOIN "bots" b ON b."id" = o."bot_id" GROUP BY 1 ORDER BY 1
    ON CONFLICT ("bot_id") DO UPDATE
      SET "chunk_count" = greatest("bot_search_stats"."chunk_count" + excluded."chunk_count", 0),
          "total_length" = greatest("bot_search_stats"."total_length" + excluded."total_length", 0);
    DELETE FROM "bot_term_stats" s
      USING (SELECT DISTINCT o."bot_id", t.term
               FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)) d
      WHERE s."bot_id" = d."bot_id" AND s."term" = d.term AND s."doc_freq" <= 0;
  ELSE
    -- UPDATE: only the net change between the old and the new rows (an update that leaves
    -- the text alone changes nothing), then lexemes of the old rows that reached zero.
    INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
      SELECT bot_id, term, sum(d)::integer FROM (
        SELECT o."bot_id", t.term, -1 AS d
          FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)
        UNION ALL
        SELECT n."bot_id", t.term, 1 AS d
          FROM new_rows n, unnest(tsvector_to_array(n."search_vector")) AS t(term)
      ) x WHERE EXISTS (SELECT 1 FROM "bots" b WHERE b."id" = x."bot_id")
      GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
    ON CONFLICT ("bot_id", "term") DO UPDATE
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq";
    INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
      SELECT bot_id, sum(n), sum(len) FROM (
        SELECT o."bot_id", -1 AS n, -coalesce(o."search_length", 0) AS len FROM old_rows o
        UNION ALL
        SELECT n."bot_id", 1, coalesce(n."search_length", 0) FROM new_rows n
      ) x WHERE EXISTS (SELECT 1 FROM "bots" b WHERE b."id" = x."bot_id") GROUP BY 1 ORDER BY 1
    ON CONFLICT ("bot_id") DO UPDATE
      SET "chunk_count" = greatest("bot_search_stats"."chunk_count" + excluded."chunk_count", 0),
          "total_length" = greatest("bot_search_stats"."total_length" + excluded."total_length", 0);
    DELETE FROM "bot_term_stats" s
      USING (SELECT DISTINCT o."bot_id", t.term
               FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)) d
      WHERE s."bot_id" = d."bot_id" AND s."term" = d.term AND s."doc_freq" <= 0;
    -- Postings of the rows whose text (or bot, or document) changed are replaced.
    DELETE FROM "bot_chunk_postings" p
      USING old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)
      WHERE p."bot_id" = o."bot_id" AND p."term" = t.term AND p."chunk_id" = o."id"
        AND NOT EXISTS (SELECT 1 FROM new_rows n
                        WHERE n."id" = o."id" AND n."bot_id" = o."bot_id" AND n."document_id" = o."document_id"
                          AND n."search_vector" = o."search_vector");
    INSERT INTO "bot_chunk_postings" ("bot_id", "term", "chunk_id", "document_id", "tf", "length")
      SELECT n."bot_id", u.lexeme, n."id", n."document_id", coalesce(array_length(u.positions, 1), 1), n."search_length"
      FROM new_rows n, unnest(n."search_vector") u
      WHERE NOT EXISTS (SELECT 1 FROM old_rows o
                        WHERE o."id" = n."id" AND o."bot_id" = n."bot_id" AND o."document_id" = n."document_id"
                          AND o."search_vector" = n."search_vector");
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "docent_bm25_stats_truncate"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "bot_term_stats";
  DELETE FROM "bot_search_stats";
  TRUNCATE "bot_chunk_postings";
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Chunks written before this migration.
INSERT INTO "bot_chunk_postings" ("bot_id", "term", "chunk_id", "document_id", "tf", "length")
  SELECT c."bot_id", u.lexeme, c."id", c."document_id", coalesce(array_length(u.positions, 1), 1), c."search_length"
  FROM "bot_document_chunks" c, unnest(c."search_vector") u;
--> statement-breakpoint
-- The key after the backfill: building it is much faster than maintaining it row by row.
ALTER TABLE "bot_chunk_postings"
  ADD CONSTRAINT "bot_chunk_postings_pkey" PRIMARY KEY ("bot_id", "term", "chunk_id") INCLUDE ("document_id", "tf", "length");
--> statement-breakpoint
DROP INDEX "bot_document_chunks_search_vector_gin";

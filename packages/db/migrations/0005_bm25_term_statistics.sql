-- BM25 keyword retrieval needs, per bot, the number of chunks holding each lexeme (IDF),
-- the chunk count and the average chunk length. Statement-level triggers with transition
-- tables keep them exact for every writer of chunks (worker, scripts, tests), one
-- aggregated upsert per statement rather than one per row.

-- Number of lexeme occurrences in a tsvector (its length in positions); stripped lexemes
-- count once.
CREATE FUNCTION "docent_tsvector_length"(tsvector) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)::integer FROM unnest($1) AS u $$;
--> statement-breakpoint
-- BM25's document length, computed by Postgres beside `search_vector`.
ALTER TABLE "bot_document_chunks"
  ADD COLUMN "search_length" integer
  GENERATED ALWAYS AS ("docent_tsvector_length"(to_tsvector("text_search_config", "content"))) STORED;
--> statement-breakpoint
-- Applies +1/-1 per (bot, lexeme) and per bot for the rows in the transition tables.
-- Rows are upserted in (bot_id, term) order so concurrent writers to one bot lock term
-- rows in the same order and cannot deadlock each other.
CREATE FUNCTION "docent_bm25_stats_apply"() RETURNS trigger
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
  ELSIF TG_OP = 'DELETE' THEN
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
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "bot_document_chunks_bm25_insert"
  AFTER INSERT ON "bot_document_chunks"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "docent_bm25_stats_apply"();
--> statement-breakpoint
CREATE TRIGGER "bot_document_chunks_bm25_delete"
  AFTER DELETE ON "bot_document_chunks"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "docent_bm25_stats_apply"();
--> statement-breakpoint
CREATE TRIGGER "bot_document_chunks_bm25_update"
  AFTER UPDATE ON "bot_document_chunks"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "docent_bm25_stats_apply"();
--> statement-breakpoint
CREATE FUNCTION "docent_bm25_stats_truncate"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "bot_term_stats";
  DELETE FROM "bot_search_stats";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "bot_document_chunks_bm25_truncate"
  AFTER TRUNCATE ON "bot_document_chunks"
  FOR EACH STATEMENT EXECUTE FUNCTION "docent_bm25_stats_truncate"();
--> statement-breakpoint
-- Chunks written before this migration.
INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
  SELECT c."bot_id", t.term, count(*)::integer
  FROM "bot_document_chunks" c, unnest(tsvector_to_array(c."search_vector")) AS t(term)
  GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
  SELECT "bot_id", count(*), coalesce(sum("search_length"), 0) FROM "bot_document_chunks" GROUP BY 1;

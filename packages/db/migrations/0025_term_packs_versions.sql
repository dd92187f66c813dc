-- Packed postings (bot_term_packs, migration 0024): a term's postings in one value, read
-- by keyword search when the pack was made at the version the term's statistics carry in
-- the same snapshot. The statistics trigger of migration 0017 now gives a term a new
-- version (the next value of bot_term_stats_version_seq) in the transaction that changes
-- its postings: inserts and deletes of chunks holding it, and updates that change a
-- chunk's text, bot or document (its term frequencies or length may change while its
-- document frequency does not). Terms whose statistics go lose their packs too.
ALTER TABLE "bot_term_packs" ALTER COLUMN "postings" SET STORAGE EXTERNAL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "docent_bm25_stats_apply"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
      SELECT n."bot_id", t.term, count(*)::integer
      FROM new_rows n, unnest(tsvector_to_array(n."search_vector")) AS t(term)
      GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("bot_id", "term") DO UPDATE
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq",
          "version" = excluded."version";
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
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq",
          "version" = excluded."version";
    INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
      SELECT o."bot_id", -count(*), -coalesce(sum(o."search_length"), 0)
      FROM old_rows o JOIN "bots" b ON b."id" = o."bot_id" GROUP BY 1 ORDER BY 1
    ON CONFLICT ("bot_id") DO UPDATE
      SET "chunk_count" = greatest("bot_search_stats"."chunk_count" + excluded."chunk_count", 0),
          "total_length" = greatest("bot_search_stats"."total_length" + excluded."total_length", 0);
    WITH gone AS (
      DELETE FROM "bot_term_stats" s
        USING (SELECT DISTINCT o."bot_id", t.term
                 FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)) d
        WHERE s."bot_id" = d."bot_id" AND s."term" = d.term AND s."doc_freq" <= 0
        RETURNING s."bot_id", s."term"
    )
    DELETE FROM "bot_term_packs" k USING gone WHERE k."bot_id" = gone."bot_id" AND k."term" = gone."term";
  ELSE
    -- UPDATE: only the net change between the old and the new rows (an update that leaves
    -- the text alone changes nothing), then lexemes of the old rows that reached zero.
    INSERT INTO "bot_term_stats" ("bot_id", "term", "doc_freq")
      SELECT bot_id, term, sum(d)::integer FROM (
        SELECT o."bot_id", t.term, -1 AS d,
               NOT EXISTS (SELECT 1 FROM new_rows n
                           WHERE n."id" = o."id" AND n."bot_id" = o."bot_id" AND n."document_id" = o."document_id"
                             AND n."search_vector" = o."search_vector") AS changed
          FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)
        UNION ALL
        SELECT n."bot_id", t.term, 1 AS d,
               NOT EXISTS (SELECT 1 FROM old_rows o
                           WHERE o."id" = n."id" AND o."bot_id" = n."bot_id" AND o."document_id" = n."document_id"
                             AND o."search_vector" = n."search_vector") AS changed
          FROM new_rows n, unnest(tsvector_to_array(n."search_vector")) AS t(term)
      ) x WHERE EXISTS (SELECT 1 FROM "bots" b WHERE b."id" = x."bot_id") AND x.changed
      GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("bot_id", "term") DO UPDATE
      SET "doc_freq" = "bot_term_stats"."doc_freq" + excluded."doc_freq",
          "version" = excluded."version";
    INSERT INTO "bot_search_stats" ("bot_id", "chunk_count", "total_length")
      SELECT bot_id, sum(n), sum(len) FROM (
        SELECT o."bot_id", -1 AS n, -coalesce(o."search_length", 0) AS len FROM old_rows o
        UNION ALL
        SELECT n."bot_id", 1, coalesce(n."search_length", 0) FROM new_rows n
      ) x WHERE EXISTS (SELECT 1 FROM "bots" b WHERE b."id" = x."bot_id") GROUP BY 1 ORDER BY 1
    ON CONFLICT ("bot_id") DO UPDATE
      SET "chunk_count" = greatest("bot_search_stats"."chunk_count" + excluded."chunk_count", 0),
          "total_length" = greatest("bot_search_stats"."total_length" + excluded."total_length", 0);
    WITH gone AS (
      DELETE FROM "bot_term_stats" s
        USING (SELECT DISTINCT o."bot_id", t.term
                 FROM old_rows o, unnest(tsvector_to_array(o."search_vector")) AS t(term)) d
        WHERE s."bot_id" = d."bot_id" AND s."term" = d.term AND s."doc_freq" <= 0
        RETURNING s."bot_id", s."term"
    )
    DELETE FROM "bot_term_packs" k USING gone WHERE k."bot_id" = gone."bot_id" AND k."term" = gone."term";
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
  TRUNCATE "bot_term_packs";
  RETURN NULL;
END $$;

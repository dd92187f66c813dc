-- Keyword search: a tsvector computed by Postgres from each chunk's own text-search
-- configuration (copied from the bot's language), so it can never drift from the content.
ALTER TABLE "bot_document_chunks"
  ADD COLUMN "search_vector" tsvector
  GENERATED ALWAYS AS (to_tsvector("text_search_config", "content")) STORED;
--> statement-breakpoint
CREATE INDEX "bot_document_chunks_search_vector_gin"
  ON "bot_document_chunks" USING gin ("search_vector");
--> statement-breakpoint
-- Vector search: cosine distance through HNSW. One index for all bots; per-bot filtering
-- relies on pgvector 0.8 iterative index scans (set per query by the chat service).
CREATE INDEX "bot_document_chunks_embedding_hnsw"
  ON "bot_document_chunks" USING hnsw ("embedding" vector_cosine_ops)
  WITH (m = 16, ef_construction = 64);

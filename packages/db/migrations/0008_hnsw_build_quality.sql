-- A better-connected HNSW graph: ef_construction 64 -> 200 (m stays 16, so the index
-- size and each insert's neighbour updates are unchanged). On the synthetic 1M-chunk
-- benchmark (docs/benchmarks.md) the graph built with 64 missed the 0.95 recall@10
-- target at every ef_search tried (0.86 at 100, 0.92 at 400). The price is a slower
-- build and slower inserts into the index. This rebuilds the index: on a large table
-- it takes a while and blocks writes to the chunks table meanwhile (plan it as such).
DROP INDEX IF EXISTS "bot_document_chunks_embedding_hnsw";
--> statement-breakpoint
CREATE INDEX "bot_document_chunks_embedding_hnsw"
  ON "bot_document_chunks" USING hnsw ("embedding" vector_cosine_ops)
  WITH (m = 16, ef_construction = 200);

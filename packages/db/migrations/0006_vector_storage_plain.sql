-- Keep embeddings inline in the heap instead of out-of-line TOAST (pgvector's type
-- defaults to EXTERNAL, and a 768-dim vector is ~3 KB, over the TOAST threshold). Exact
-- scans of small bots, the iterative index scan's re-checks and the re-ranking all read
-- vectors; inline they cost one heap page visit instead of extra TOAST lookups. Content
-- and the tsvector are TOASTed instead. Applies to rows written from now on.
ALTER TABLE "bot_document_chunks" ALTER COLUMN "embedding" SET STORAGE PLAIN;

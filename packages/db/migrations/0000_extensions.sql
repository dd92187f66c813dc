-- pgvector provides the vector(768) column type and the HNSW index used for retrieval.
-- gen_random_uuid() is built into PostgreSQL 13+, so no pgcrypto is needed.
CREATE EXTENSION IF NOT EXISTS vector;

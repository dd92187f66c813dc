/**
 * The commit of an ingest: in ONE transaction, with the document row locked, the old
 * chunks are deleted, the new ones copied in, and the row flipped to PROCESSED. A reader
 * sees either the previous complete set of chunks or the new one, never a mix, never
 * duplicates. If the row was deleted or re-indexed meanwhile, or another run of the job
 * claimed it (this worker lost its lock), nothing is written.
 */
import type { Readable } from "node:stream";
import { lockDocumentForCommit, markDocumentProcessed, type StoredSource } from "@docent/db/queries/bot-documents";
import type postgres from "postgres";
import { copyChunkTuples } from "./copy-chunks";
import { LockLostError, StaleJobError } from "./errors";

export interface CommitInput {
  documentId: string;
  version: number;
  /** The committing run's claim (bot_documents.ingest_run_id); another claim wins. */
  runId: string;
  /** Encoded COPY tuples (see copy-chunks.ts), already carrying the text-search config. */
  tuples: Readable | Iterable<Buffer>;
  chunkCount: number;
  /** URL documents: the fetched original, stored under a new key by this job. */
  source?: StoredSource;
}

/** Returns the storage key the row pointed to before, when `source` replaced it. */
export async function commitChunks(
  sql: postgres.Sql,
  input: CommitInput,
): Promise<{ previousStorageKey: string | null }> {
  return sql.begin(async (tx) => {
    const doc = await lockDocumentForCommit(tx, input.documentId);
    if (!doc || doc.deleted) throw new StaleJobError("deleted");
    if (doc.version !== input.version) throw new StaleJobError("superseded");
    if (doc.runId !== input.runId) throw new LockLostError();

    await tx`delete from bot_document_chunks where document_id = ${input.documentId}`;
    const source = input.source;
    await markDocumentProcessed(tx, {
      documentId: input.documentId,
      chunkCount: input.chunkCount,
      storageKey: source ? source.storageKey : doc.storageKey,
      source,
    });
    // The COPY goes last: its statement trigger takes the bot's BM25 term-statistics row
    // locks (shared by every document of the bot), and from here only COMMIT remains, so
    // another document's commit waits on them for one round trip, not two.
    await copyChunkTuples(tx, input.tuples);
    return { previousStorageKey: source && doc.storageKey !== source.storageKey ? doc.storageKey : null };
  });
}

/**
 * Embeddings already stored for this document with the same model, for the given content
 * hashes: a re-index embeds only chunks whose text (or model) changed. Asked per batch,
 * so memory stays bounded for large documents.
 */
export async function loadReusableEmbeddings(
  sql: postgres.Sql,
  documentId: string,
  embeddingModel: string,
  hashes: string[],
): Promise<Map<string, Float32Array>> {
  const reusable = new Map<string, Float32Array>();
  if (hashes.length === 0) return reusable;
  const rows = await sql<{ hash: string; embedding: string }[]>`
    select distinct on (content_hash) content_hash as hash, embedding::text as embedding
      from bot_document_chunks
     where document_id = ${documentId} and embedding_model = ${embeddingModel}
       and content_hash = any(${hashes})`;
  for (const row of rows) {
    const values = row.embedding.slice(1, -1).split(",");
    const vector = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) vector[i] = Number(values[i]);
    reusable.set(row.hash, vector);
  }
  return reusable;
}

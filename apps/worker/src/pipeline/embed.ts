/**
 * The embed step: chunks are embedded in batches and encoded into the spool as COPY
 * tuples. A chunk whose content hash and embedding model match one already stored for
 * this document reuses that vector instead of being embedded.
 */
import type { Chunk } from "@docent/ingest/types";
import type postgres from "postgres";
import { encodeChunkRow } from "./copy-chunks";
import { PermanentDocumentError } from "./errors";
import type { ChunkStream } from "./extract";
import type { ProgressReporter } from "./progress";
import type { TupleSpool } from "./spool";
import { loadReusableEmbeddings } from "./store";

export const EMBEDDING_DIMENSIONS = 768;

/** The part of @docent/embeddings' Embedder the pipeline relies on. */
export interface EmbedderLike {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<ArrayLike<number>[]>;
}

export interface EmbedInput {
  sql: postgres.Sql;
  embedder: EmbedderLike;
  document: {
    id: string;
    botId: string;
    /** Only a document that has chunks already can have reusable vectors. */
    mayReuse: boolean;
  };
  stream: ChunkStream;
  batchSize: number;
  /** OID of the bot's text-search configuration, carried by every tuple. */
  regconfigOid: number;
  spool: TupleSpool;
  progress: ProgressReporter;
  /** Throws when the run must stop; called before each batch. */
  checkpoint: () => void;
  deadline: AbortSignal | undefined;
}

export interface EmbedOutcome {
  embedded: number;
  reused: number;
  /** Time spent waiting on the embedder. */
  embedSeconds: number;
}

/** Embeds every chunk of `stream` into `spool`, then closes the stream. */
export async function embedChunks(input: EmbedInput): Promise<EmbedOutcome> {
  const { embedder, document, stream, spool, progress, deadline } = input;
  const model = embedder.id;
  const outcome: EmbedOutcome = { embedded: 0, reused: 0, embedSeconds: 0 };
  let batch: Chunk[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    input.checkpoint();
    const vectors = document.mayReuse
      ? await loadReusableEmbeddings(input.sql, document.id, model, batch.map((c) => c.contentHash))
      : new Map<string, Float32Array>();
    const missing = batch.filter((c) => !vectors.has(c.contentHash));
    if (missing.length > 0) {
      const embedStarted = performance.now();
      const result = await embedder.embed(missing.map((c) => c.content), deadline ? { signal: deadline } : undefined);
      outcome.embedSeconds += (performance.now() - embedStarted) / 1000;
      if (result.length !== missing.length) {
        throw new Error(`embedder returned ${result.length} vectors for ${missing.length} texts`);
      }
      result.forEach((vector, i) => {
        if (vector.length !== EMBEDDING_DIMENSIONS) {
          throw new PermanentDocumentError(
            `The embedding model ${model} returned ${vector.length}-dimension vectors; Docent needs ${EMBEDDING_DIMENSIONS}. Choose a model (or a dimensions setting) that gives ${EMBEDDING_DIMENSIONS}.`,
          );
        }
        vectors.set(missing[i]!.contentHash, Float32Array.from(vector));
      });
      outcome.embedded += missing.length;
    }
    outcome.reused += batch.length - missing.length;
    await spool.write(
      batch.map((chunk) =>
        encodeChunkRow(
          {
            botId: document.botId,
            documentId: document.id,
            chunkIndex: chunk.index,
            content: chunk.content,
            contentHash: chunk.contentHash,
            tokenCount: chunk.tokenCount,
            metadata: chunk.metadata,
            embedding: vectors.get(chunk.contentHash)!,
            embeddingModel: model,
          },
          input.regconfigOid,
        ),
      ),
    );
    batch = [];
    await progress.report("embed", 25 + 65 * stream.fraction());
  };

  try {
    await progress.report("embed", 25);
    for await (const chunk of stream.chunks) {
      batch.push(chunk);
      if (batch.length >= input.batchSize) await flush();
    }
    await flush();
  } finally {
    await stream.close();
  }
  return outcome;
}

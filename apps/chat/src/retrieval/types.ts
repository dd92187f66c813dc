import type { retrievedChunkSchema } from "@docent/contracts/chat";
import type { RagConfig, RetrievalMode } from "@docent/contracts/json";
import type { z } from "zod";

/** What retrieval needs to know about a bot; loaded once per request by the caller. */
export interface RetrievalBot {
  id: string;
  workspaceId: string;
  /** Postgres text-search configuration of the chunks' tsvectors. */
  language: string;
  ragConfig: RagConfig;
}

/** The embedding side of `@docent/embeddings`' Embedder, all retrieval uses. */
export interface QueryEmbedder {
  /** "<provider>:<model>", compared with the chunks' `embedding_model`. */
  id: string;
  dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}


/** A ranked chunk as retrieval returns it (the search API's shape, before any reranking). */
export type RetrievedChunk = Omit<z.infer<typeof retrievedChunkSchema>, "rerank">;

export interface RetrievalResult {
  mode: RetrievalMode;
  topK: number;
  /** Embedding model of the query (null in keyword mode, which embeds nothing). */
  embeddingModel: string | null;
  /** Whether the vector leg compared every chunk instead of walking the index. */
  exactScan: boolean | null;
  chunks: RetrievedChunk[];
  /**
   * The question's embedding (null in keyword mode), for the answer path's topic
   * assignment, so the question is never embedded twice. Internal: response schemas drop it.
   */
  queryEmbedding: { model: string; embedding: number[] } | null;
  timingsMs: { embed: number; vector: number; keyword: number; total: number };
}

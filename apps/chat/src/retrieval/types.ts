import type { RagConfig, RetrievalMode } from "@docent/contracts/json";

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

export interface ModeRank {
  rank: number;
  /** The mode's own score normalised to 0-1. */
  score: number;
}

export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  documentName: string;
  chunkIndex: number;
  content: string;
  page: number | null;
  headingPath: string[];
  /** Final score in the request's mode, 0-1; `minScore` applies to it. */
  score: number;
  /** 1-based position in the final list. */
  rank: number;
  vector?: ModeRank & { distance: number };
  keyword?: ModeRank & { bm25: number };
  hybrid?: ModeRank;
}

export interface RetrievalResult {
  mode: RetrievalMode;
  topK: number;
  /** Embedding model of the query (null in keyword mode, which embeds nothing). */
  embeddingModel: string | null;
  /** Whether the vector leg compared every chunk instead of walking the index. */
  exactScan: boolean | null;
  chunks: RetrievedChunk[];
  timingsMs: { embed: number; vector: number; keyword: number; total: number };
}

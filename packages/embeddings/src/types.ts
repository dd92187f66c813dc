/** Every embedding in Docent has this many dimensions (the pgvector column is vector(768)). */
export const EMBEDDING_DIMENSIONS = 768;

export interface EmbedOptions {
  signal?: AbortSignal;
}

export interface Embedder {
  /** "<provider>:<model>", stored with every chunk, e.g. "local:lexical-hash-v1". */
  readonly id: string;
  readonly dimensions: typeof EMBEDDING_DIMENSIONS;
  /** One vector per text, in order; each has `dimensions` numbers. */
  embed(texts: string[], opts?: EmbedOptions): Promise<number[][]>;
}

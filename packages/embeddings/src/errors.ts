/** Embedding errors say whether a retry can help; the worker maps the rest to a failed document. */

export class EmbeddingError extends Error {
  readonly code: string = "embedding_failed";
  readonly retryable: boolean;
  /** HTTP status of the provider's answer, when there was one. */
  readonly providerStatus: number | undefined;

  constructor(message: string, options: { retryable: boolean; providerStatus?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable;
    this.providerStatus = options.providerStatus;
  }
}

/** The provider answered with vectors of another length than 768: re-trying cannot fix it. */
export class EmbeddingDimensionError extends EmbeddingError {
  override readonly code = "embedding_dimension_mismatch";
  readonly model: string;
  readonly returnedDimensions: number;

  constructor(model: string, returnedDimensions: number, expected: number) {
    super(
      `The embedding model "${model}" returned vectors of ${returnedDimensions} dimensions, but Docent stores ${expected}-dimension embeddings. Choose a ${expected}-dimension model (for example nomic-embed-text) or one that accepts a dimensions parameter (OpenAI text-embedding-3-*).`,
      { retryable: false },
    );
    this.model = model;
    this.returnedDimensions = returnedDimensions;
  }
}

/**
 * Embeddings from any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, ...)
 * through the official `openai` client. Texts go in batches; with `sendDimensions` the
 * request asks for 768 dimensions (OpenAI text-embedding-3-*), otherwise the model must
 * produce 768 on its own (e.g. nomic-embed-text). Any other length fails at once with an
 * EmbeddingDimensionError, since no retry can fix it. Rate limits, 5xx, timeouts and
 * network errors are `retryable`; bad keys, unknown models and bad requests are not.
 */
import { findUnsafeAddressError } from "@docent/outbound/errors";
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { EmbeddingDimensionError, EmbeddingError } from "./errors";
import { EMBEDDING_DIMENSIONS, type Embedder, type EmbedOptions } from "./types";

export interface OpenAIEmbedderOptions {
  /** e.g. "https://api.openai.com/v1" (default) or "http://ollama:11434/v1". */
  baseURL?: string;
  apiKey: string;
  model: string;
  /** Texts per request. Default 96. */
  batchSize?: number;
  /** Send `dimensions: 768`; only models that support it accept the parameter. */
  sendDimensions?: boolean;
  /** Provider part of the embedder id ("openai", "ollama", ...). Default "openai". */
  provider?: string;
  /** Per-request timeout in ms. Default 60 s. */
  timeoutMs?: number;
  /** Retries inside the client before an error surfaces (the job queue retries too). Default 1. */
  maxRetries?: number;
  /**
   * Custom fetch: the guarded fetch of @docent/outbound for a base URL a workspace chose,
   * or a test's.
   */
  fetch?: typeof fetch;
}

export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? "https://api.openai.com/v1",
    // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the platform's environment.
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 1,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const batchSize = Math.max(1, options.batchSize ?? 96);
  const model = options.model;
  const provider = options.provider ?? "openai";

  return {
    id: `${provider}:${model}`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts: string[], opts?: EmbedOptions): Promise<number[][]> {
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize).map((t) => (t === "" ? " " : t));
        let response: OpenAI.CreateEmbeddingResponse;
        try {
          response = await client.embeddings.create(
            {
              model,
              input: batch,
              encoding_format: "float",
              ...(options.sendDimensions ? { dimensions: EMBEDDING_DIMENSIONS } : {}),
            },
            opts?.signal ? { signal: opts.signal } : undefined,
          );
        } catch (error) {
          throw toEmbeddingError(error, model);
        }
        const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
        if (data.length !== batch.length) {
          throw new EmbeddingError(
            `The embedding model "${model}" returned ${data.length} vectors for ${batch.length} texts.`,
            { retryable: false },
          );
        }
        for (const item of data) {
          const vector = item.embedding as unknown;
          if (!Array.isArray(vector)) {
            throw new EmbeddingError(`The embedding endpoint for "${model}" returned an unreadable vector.`, {
              retryable: false,
            });
          }
          if (vector.length !== EMBEDDING_DIMENSIONS) {
            throw new EmbeddingDimensionError(model, vector.length, EMBEDDING_DIMENSIONS);
          }
          out.push(vector as number[]);
        }
      }
      return out;
    },
  };
}

function toEmbeddingError(error: unknown, model: string): EmbeddingError {
  if (error instanceof APIUserAbortError) {
    return new EmbeddingError("The embedding request was cancelled.", { retryable: true, cause: error });
  }
  const refused = findUnsafeAddressError(error);
  if (refused) {
    return new EmbeddingError(
      `The embedding base URL is not allowed: ${refused.message} Docent did not send the request. ` +
        "Set a public base URL in the workspace's model settings (an operator can set ALLOW_PRIVATE_MODEL_URLS=true for a self-hosted model server on a private network).",
      { retryable: false, cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    return new EmbeddingError(`Could not reach the embedding endpoint (${error.message}).`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const reason =
      status === 401 || status === 403
        ? "the API key was refused"
        : status === 404
          ? `the model "${model}" was not found`
          : status === 429
            ? "rate limit or quota exceeded"
            : status >= 500
              ? "the provider had a server error"
              : "the request was rejected";
    return new EmbeddingError(`The embedding provider answered HTTP ${status}: ${reason}.`, {
      retryable,
      providerStatus: status,
      cause: error,
    });
  }
  return new EmbeddingError("The embedding request failed.", { retryable: true, cause: error });
}

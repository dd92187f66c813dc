/**
 * Platform-wide embedding defaults from the environment. A workspace's own settings
 * (BYOK) override them per request; see `resolveEmbedder`.
 */
import { z } from "zod";

export const embeddingProviders = ["local", "openai", "openai_compatible", "ollama", "vllm", "lmstudio"] as const;
export type EmbeddingProvider = (typeof embeddingProviders)[number];

export const embeddingEnvSchema = z.object({
  /** `local` (offline lexical embedder) or an OpenAI-compatible provider. */
  EMBEDDING_PROVIDER: z.enum(embeddingProviders).default("local"),
  /** OpenAI-compatible base URL, e.g. http://ollama:11434/v1; unset = api.openai.com. */
  EMBEDDING_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  /** Model name; required for every provider but `local`. */
  EMBEDDING_MODEL: z.string().min(1).max(200).optional(),
  /** Texts per embeddings request. */
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(96),
  /** Send `dimensions: 768`: "auto" does so for OpenAI's text-embedding-3-* models only. */
  EMBEDDING_SEND_DIMENSIONS: z.enum(["auto", "true", "false"]).default("auto"),
});
export type EmbeddingEnv = z.infer<typeof embeddingEnvSchema>;

/**
 * zod schemas for the JSON columns. The database stores JSON; these schemas are the
 * single definition of its shape, used by drizzle's `$type`, by the API's validation and
 * by the services that read the values back.
 */
import { z } from "zod";

export const retrievalModes = ["vector", "keyword", "hybrid"] as const;
export type RetrievalMode = (typeof retrievalModes)[number];

export const ragConfigSchema = z
  .object({
    /** Target chunk length in tokens (cl100k-style BPE tokens). */
    chunkSize: z.number().int().min(100).max(4000).default(400),
    /** Tokens repeated between neighbouring chunks; must be below chunkSize. */
    chunkOverlap: z.number().int().min(0).max(3999).default(60),
    topK: z.number().int().min(1).max(50).default(5),
    retrievalMode: z.enum(retrievalModes).default("hybrid"),
    /** Results scoring below this (0-1, per the mode's normalised score) are dropped. */
    minScore: z.number().min(0).max(1).default(0),
    /**
     * Weights of each leg in weighted reciprocal rank fusion (hybrid mode). The defaults
     * come from the SQuAD evaluation (docs/benchmarks.md, `pnpm eval:retrieval`): with the
     * offline lexical embedder any larger vector weight pulls hybrid below BM25 alone, so
     * the vector leg only breaks ties and fills in when no keyword matches. Raise
     * `vector` for bots embedded with a semantic model.
     */
    fusionWeights: z
      .object({
        vector: z.number().min(0).max(10).default(0.01),
        keyword: z.number().min(0).max(10).default(1),
      })
      .default({ vector: 0.01, keyword: 1 }),
  })
  .refine((c) => c.chunkOverlap < c.chunkSize, {
    message: "chunkOverlap must be smaller than chunkSize",
    path: ["chunkOverlap"],
  });
export type RagConfig = z.infer<typeof ragConfigSchema>;
export const defaultRagConfig: RagConfig = ragConfigSchema.parse({});

export const modelSettingsSchema = z.object({
  /** Chat model name; null uses the workspace's or platform's default model. */
  model: z.string().min(1).max(200).nullable().default(null),
  temperature: z.number().min(0).max(2).default(0.2),
  /** Capped by the platform's LLM_MAX_TOKENS at answer time. */
  maxTokens: z.number().int().min(16).max(8192).default(800),
  /** Strict: answer only from sources; otherwise reply with `refusalText`. */
  strict: z.boolean().default(true),
  refusalText: z
    .string()
    .min(1)
    .max(1000)
    .default("I could not find that in my documents. Could you rephrase, or ask about something else?"),
  /** Tokens of prior conversation carried into the prompt. */
  historyTokenBudget: z.number().int().min(0).max(16000).default(1500),
});
export type ModelSettings = z.infer<typeof modelSettingsSchema>;
export const defaultModelSettings: ModelSettings = modelSettingsSchema.parse({});

/** Where a chunk came from inside its document; lets a person check a citation. */
export const chunkMetadataSchema = z.object({
  page: z.number().int().min(1).optional(),
  headingPath: z.array(z.string()).optional(),
  charStart: z.number().int().min(0),
  charEnd: z.number().int().min(0),
  /** CSV: first and last data row (1-based, header excluded) in this chunk. */
  rowStart: z.number().int().optional(),
  rowEnd: z.number().int().optional(),
});
export type ChunkMetadata = z.infer<typeof chunkMetadataSchema>;

export const messageMetadataSchema = z.object({
  model: z.string().optional(),
  provider: z.string().optional(),
  inputTokens: z.number().int().optional(),
  outputTokens: z.number().int().optional(),
  latencyMs: z.number().int().optional(),
  /** True when the answer was assembled from source sentences without an LLM. */
  extractive: z.boolean().optional(),
  retrievalMode: z.enum(retrievalModes).optional(),
});
export type MessageMetadata = z.infer<typeof messageMetadataSchema>;

export const apiKeyScopes = [
  "bots:read",
  "bots:write",
  "documents:write",
  "chat",
  "analytics:read",
] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/**
 * zod schemas for the JSON columns. The database stores JSON; these schemas are the
 * single definition of its shape, used by the db package's drizzle `$type`, by the API's
 * validation, by the admin's forms and by the services that read the values back. They
 * live in contracts, which depends on nothing of the server's, so the browser can use them.
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
    /**
     * Reorder the top `topN` results of the mode with the workspace's (or platform's)
     * reranker before keeping `topK`. Without a reranker configured it has no effect; when
     * the reranker fails, the mode's own order is kept.
     */
    rerank: z
      .object({
        enabled: z.boolean().default(false),
        topN: z.number().int().min(2).max(100).default(20),
      })
      .default({ enabled: false, topN: 20 }),
    /**
     * Answers only: widen each retrieved passage with its neighbours in the document
     * (`neighbours` chunks either side) and/or the rest of its section (same heading path),
     * best passage first, until `maxTokens` extra tokens are used. Citations still name the
     * retrieved chunk.
     */
    context: z
      .object({
        neighbours: z.number().int().min(0).max(5).default(0),
        sameSection: z.boolean().default(false),
        maxTokens: z.number().int().min(0).max(8000).default(1500),
      })
      .default({ neighbours: 0, sameSection: false, maxTokens: 1500 }),
  })
  .refine((c) => c.chunkOverlap < c.chunkSize, {
    message: "chunkOverlap must be smaller than chunkSize",
    path: ["chunkOverlap"],
  });
export type RagConfig = z.infer<typeof ragConfigSchema>;
export const defaultRagConfig: RagConfig = ragConfigSchema.parse({});

/**
 * A stored rag config with the defaults of settings added since it was saved (rerank,
 * context): the column holds whatever shape was current when the bot was last saved.
 */
export function readRagConfig(stored: RagConfig): RagConfig {
  const parsed = ragConfigSchema.safeParse(stored);
  return parsed.success ? parsed.data : { ...defaultRagConfig, ...stored };
}

/**
 * Default cosine similarity for a curated answer to apply. Measured with the offline
 * lexical embedder: rewordings that keep the content words score 0.6-0.85 ("How do I
 * reset my password?" / "I forgot my password, how do I reset it?" 0.83; "How do I return
 * a damaged item?" / "How can I return an item that arrived damaged?" 0.62), other
 * questions of the same shape 0.15-0.45 ("How do I reset my password?" / "How do I change
 * my email address?" 0.43). Semantic embedders score unrelated questions higher: raise it
 * (about 0.85) for them.
 */
export const DEFAULT_CURATED_THRESHOLD = 0.6;

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
  /**
   * A question whose embedding has at least this cosine similarity with an enabled curated
   * answer's question gets that curated answer instead of a generated one (0-1).
   */
  curatedThreshold: z.number().min(0).max(1).default(DEFAULT_CURATED_THRESHOLD),
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
  /** The answer is the bot's refusal text (strict mode, no supporting source). */
  refused: z.boolean().optional(),
  /** Answered with a curated answer (its id and question) instead of a generated one. */
  curated: z.object({ id: z.string(), question: z.string() }).optional(),
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

/**
 * What an evaluation question expects retrieval to find: a document, and optionally the
 * exact chunk or a passage of text (a chunk of that document holding the text counts).
 * With the document alone, any of its chunks counts.
 */
export const evalExpectationSchema = z.strictObject({
  documentId: z.uuid(),
  chunkId: z.uuid().optional(),
  text: z.string().trim().min(1).max(2000).optional(),
});
export type EvalExpectation = z.infer<typeof evalExpectationSchema>;

/** One retrieval setting an evaluation run scores. */
export const evalRunConfigSchema = z.strictObject({
  mode: z.enum(retrievalModes),
  /** Hybrid only; the bot's own when omitted. */
  fusionWeights: z
    .strictObject({ vector: z.number().min(0).max(10), keyword: z.number().min(0).max(10) })
    .optional(),
  /** Rerank the top N with the workspace's reranker (the bot's setting when omitted). */
  rerank: z.boolean().optional(),
});
export type EvalRunConfig = z.infer<typeof evalRunConfigSchema>;

export interface EvalMetrics {
  /** Share of questions with a relevant chunk in the top k (k = 1, 3, 5, 10). */
  recall: { "1": number; "3": number; "5": number; "10": number };
  /** Mean reciprocal rank of the first relevant chunk, cut at 10. */
  mrr: number;
  ndcg10: number;
}

export interface EvalConfigResult {
  config: EvalRunConfig;
  /** "hybrid 0.01/1", "keyword +rerank": how the admin shows the setting. */
  label: string;
  metrics: EvalMetrics;
  /** Questions scored, and those skipped because no chunk matches what they expect. */
  judged: number;
  unjudged: number;
  /** Reranker failures during the run (their questions were scored in the mode's order). */
  rerankFailures: number;
  ms: number;
}

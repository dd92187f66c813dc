/** The chat service's configuration, parsed once at start-up. */
import { envFields } from "@docent/config/env";
import { shutdownTimeoutField } from "@docent/config/run-service";
import { sessionEnvFields } from "@docent/http-kit/auth/sessions";
import { metricsEnvFields } from "@docent/service-kit/metrics";
import { trustProxyField } from "@docent/http-kit/proxy-trust";
import { embeddingEnvSchema } from "@docent/embeddings/env";
import { z } from "zod";

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

export const chatEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  LOG_LEVEL: envFields.logLevel,
  DATABASE_URL: envFields.databaseUrl,
  DATABASE_POOL_MAX: envFields.databasePoolMax,
  DATABASE_CONNECT_TIMEOUT_MS: envFields.databaseConnectTimeoutMs,
  /** Limit on one SQL statement of a request; past it the request answers 503. */
  DATABASE_STATEMENT_TIMEOUT_MS: envFields.databaseStatementTimeoutMs(30_000),
  REDIS_URL: envFields.redisUrl,
  /** The API's session cookie, read here for the admin's playground and analytics: same values as the API's. */
  ...sessionEnvFields,
  HOST: z.string().default("0.0.0.0"),
  PORT: envFields.port(3001),
  /**
   * Prometheus `/metrics` on a listener of its own, never the chat port (which the admin
   * app's proxy and the widget's sites reach): METRICS_HOST (default 127.0.0.1),
   * METRICS_PORT (9465; "off"), METRICS_TOKEN (a bearer token scrapes must send).
   */
  ...metricsEnvFields(9465),
  /** Key ring that opens workspaces' BYOK keys (same value as the API's). */
  DOCENT_ENCRYPTION_KEYS: z.string().optional(),
  /**
   * Lets workspaces' model base URLs reach private and loopback addresses (self-hosted
   * model servers); checked when each connection opens. Same value as the API's.
   */
  ALLOW_PRIVATE_MODEL_URLS: envFields.booleanFlag(false),
  /** Base URL shown in the OpenAPI document's `servers`, e.g. https://docent.example.com/chat. */
  PUBLIC_CHAT_URL: optionalUrl,
  /** Platform default OpenAI-compatible endpoint; unset = offline extractive answers. */
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  LLM_PROVIDER: z.enum(["openai", "openai_compatible", "ollama", "vllm", "lmstudio"]).default("openai_compatible"),
  /** Hard cap on generated tokens, whatever a bot asks for. */
  LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_000).default(1024),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /**
   * Strict mode and offline answers: a passage supports the question when its support
   * score (answer/support-model.ts: the fitted chance, 0-1, that it does) reaches this;
   * lower answers more, higher refuses more (docs/benchmarks.md measures the choice)...
   */
  CHAT_MIN_SUPPORT: z.coerce.number().min(0).max(1).default(0.43),
  /** ...or, with a semantic (non-local) embedder, from this cosine similarity. */
  CHAT_MIN_RELEVANT_SIMILARITY: z.coerce.number().min(0).max(1).default(0.3),
  /** Analytics: a question whose best retrieval score (0-1) is below this found no good source. */
  ANALYTICS_WEAK_SCORE: z.coerce.number().min(0).max(1).default(0.2),
  /** Exports read conversations through a cursor this many rows at a time (memory per export). */
  EXPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Platform reranker for bots that turn reranking on (a workspace's own reranker wins):
   * `tei` or the Cohere shape (`cohere`, `jina`, `vllm`) at RERANK_URL, the full endpoint
   * (Cohere's and Jina's public ones are the defaults). Trusted like LLM_BASE_URL.
   */
  RERANK_PROVIDER: z.enum(["tei", "cohere", "jina", "vllm"]).optional(),
  RERANK_URL: optionalUrl,
  RERANK_MODEL: z.string().min(1).optional(),
  RERANK_API_KEY: z.string().optional(),
  /** Per rerank request, platform's or workspace's; past it the mode's order is kept. */
  RERANK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  RETRIEVAL_EXACT_SCAN_MAX_CHUNKS: z.coerce.number().int().min(0).default(5_000),
  /** Bots under this share of the chunk table are scanned exactly (up to the next limit). */
  RETRIEVAL_HNSW_MIN_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  RETRIEVAL_EXACT_SCAN_MAX_LOW_SHARE_CHUNKS: z.coerce.number().int().min(0).default(50_000),
  RETRIEVAL_EF_SEARCH: z.coerce.number().int().min(10).max(1000).default(200),
  RETRIEVAL_MAX_SCAN_TUPLES: z.coerce.number().int().min(1000).default(20_000),
  /** Widget abuse limits: requests per minute per client IP and per visitor, per bot. */
  WIDGET_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  WIDGET_RATE_LIMIT_PER_VISITOR: z.coerce.number().int().min(1).default(10),
  /** Tokens (in + out) a bot's widget may spend per UTC day. */
  WIDGET_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(0).default(200_000),
  /** Who may set X-Forwarded-For (the widget's per-IP limit): see @docent/service-kit/proxy-trust. */
  TRUST_PROXY: trustProxyField,
  /** Requests per minute per API key or browser on the authenticated routes. */
  CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Namespace of this service's Redis keys (rate limits, token budgets). */
  CHAT_REDIS_PREFIX: z.string().min(1).default("docent:chat"),
  /** BullMQ key prefix of the evaluation queue; every service of one installation uses the same. */
  QUEUE_PREFIX: z.string().min(1).default("docent"),
  /** Evaluation runs this replica runs at once (0: it only serves requests; another replica runs them). */
  EVAL_WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(8).default(1),
  /** Questions retrieved at once within one evaluation run. */
  EVAL_RUN_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /** Most questions one evaluation set may hold. */
  EVAL_MAX_QUESTIONS: z.coerce.number().int().min(1).max(100_000).default(20_000),
  /** SIGTERM: longest wait for in-flight answers; keep below the orchestrator's grace period. */
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutField,
  ...embeddingEnvSchema.shape,
});

export type ChatEnv = z.infer<typeof chatEnvSchema>;

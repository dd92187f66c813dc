/**
 * `buildApp(deps)`: the chat service as a ready, non-listening Fastify instance. Plugins
 * go in a fixed order: service-kit base (metrics, zod, request ids, cookies, error
 * handler), rate limits, auth, OpenAPI, health, then one module per resource. Retrieval, the
 * responders, the embedders and the answer service are wrapped to record metrics.
 */
import type { Logger } from "@docent/config/logger";
import type { DbHandle } from "@docent/db/client";
import { sharedGuardedFetch } from "@docent/outbound/dispatcher";
import { createSessionManager, registerAuth, sessionOptionsFromEnv } from "@docent/http-kit/auth";
import { createWorkspaceEmbedderResolver } from "@docent/service-kit/byok-embedder";
import { createSecretBox, parseKeyRing, type SecretBox } from "@docent/service-kit/crypto/secrets";
import { createServiceApp } from "@docent/http-kit/fastify";
import { createErrorLogWriter } from "@docent/service-kit/error-log";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { createWebhookQueue, type WebhookQueue } from "@docent/queue/webhooks";
import { createEmbeddingMetrics, createMetricsRegistry, type Registry } from "@docent/service-kit/metrics";
import { registerHealthRoutes } from "@docent/http-kit/health";
import { registerOpenApi } from "@docent/http-kit/openapi";
import { proxyTrust } from "@docent/http-kit/proxy-trust";
import { registerRateLimit } from "@docent/http-kit/rate-limit";
import type { EvalQueue } from "@docent/queue/evals";
import type { Redis } from "ioredis";
import { createChatService } from "./answer/service";
import { createFeedbackService } from "./answer/feedback";
import { createCuratedMatcher } from "./answer/curated";
import { createCuratedService } from "./curated/service";
import { curatedRoutes } from "./routes/curated";
import type { ChatEnv } from "./env";
import { createChatMetrics } from "./metrics";
import { createBotAuthorizer } from "./http/auth";
import { createEvalService } from "./evals/service";
import { type EvalWorker, startEvalWorker } from "./evals/worker";
import { createLimiter } from "./http/rate-limit";
import { createResponderResolver } from "./llm/resolve";
import type { Responder } from "./llm/types";
import { createRerankerResolver, type RerankerFor } from "./retrieval/rerank";
import { createSearchService } from "./retrieval/search";
import { createRetrievalService } from "./retrieval/service";
import type { QueryEmbedder } from "./retrieval/types";
import { analyticsRoutes } from "./routes/analytics";
import { botRoutes } from "./routes/bots";
import { conversationRoutes } from "./routes/conversations";
import { feedbackRoutes } from "./routes/feedback";
import { evalRoutes } from "./routes/evals";
import { mcpRoutes } from "./routes/mcp";
import { openAiRoutes } from "./routes/openai";
import { platformRoutes } from "./routes/platform";
import { widgetRoutes } from "./routes/widget";
import { topicRoutes } from "./routes/topics";
import { exportRoutes } from "./routes/exports";
import { createTopicService } from "./topics/service";
import type { AppDeps } from "./routes/deps";
import { createMeteredRetrieval } from "./usage/metered-retrieval";
import { createQuota } from "./usage/quota";

export interface BuildAppOptions {
  env: ChatEnv;
  database: DbHandle;
  redis: Redis;
  logger: Logger;
  /** Overrides for tests; by default built from env and the workspace's settings. */
  embedderFor?: (workspaceId: string) => Promise<QueryEmbedder>;
  responderFor?: (workspaceId: string, botModel: string | null) => Promise<Responder>;
  rerankerFor?: RerankerFor;
  /** Reports readiness failures while the server drains on SIGTERM. */
  isShuttingDown?: () => boolean;
  /**
   * Transport to workspaces' model base URLs (tests inject a resolver through
   * `createGuardedFetch`); by default the shared guarded fetch for ALLOW_PRIVATE_MODEL_URLS.
   */
  workspaceFetch?: typeof fetch;
  /** Where metrics go (server.ts serves it on the metrics listener); a fresh one by default. */
  metrics?: Registry;
  /** Where evaluation runs are queued; without it, starting a run answers 503. */
  evalQueue?: EvalQueue;
  /**
   * Consume the evaluation queue in this process (server.ts: EVAL_WORKER_CONCURRENCY > 0).
   * The worker stops (a run in progress goes back to the queue) before the server closes.
   */
  evalWorker?: { connection: Redis; prefix: string; concurrency: number };
  /** Where webhook deliveries are queued (a fail-fast producer connection); by default one on `redis`. */
  webhookQueue?: WebhookQueue;
}

function secretOpener(env: ChatEnv): SecretBox | null {
  return env.DOCENT_ENCRYPTION_KEYS ? createSecretBox(parseKeyRing(env.DOCENT_ENCRYPTION_KEYS)) : null;
}

export async function buildApp(options: BuildAppOptions) {
  const { env, database, redis, logger } = options;
  const { db } = database;
  const registry = options.metrics ?? createMetricsRegistry({ service: "chat" });
  const metrics = createChatMetrics(registry);
  const embeddingMetrics = createEmbeddingMetrics(registry);
  const box = secretOpener(env);

  // Workspace-chosen model URLs are checked by the address policy when each connection opens.
  const workspaceFetch = options.workspaceFetch ?? sharedGuardedFetch(env.ALLOW_PRIVATE_MODEL_URLS);
  // Shared with the ingest worker, so query and chunk vectors come from the same model.
  const resolveEmbedder = options.embedderFor ?? createWorkspaceEmbedderResolver({ db, env, secrets: box, workspaceFetch });
  const embedderFor = async (workspaceId: string) => embeddingMetrics.instrument(await resolveEmbedder(workspaceId));
  const retrieval = metrics.retrieval(createRetrievalService({
    db,
    embedderFor,
    tuning: {
      exactScanMaxChunks: env.RETRIEVAL_EXACT_SCAN_MAX_CHUNKS,
      hnswMinShare: env.RETRIEVAL_HNSW_MIN_SHARE,
      exactScanMaxLowShareChunks: env.RETRIEVAL_EXACT_SCAN_MAX_LOW_SHARE_CHUNKS,
      efSearch: env.RETRIEVAL_EF_SEARCH,
      maxScanTuples: env.RETRIEVAL_MAX_SCAN_TUPLES,
    },
    logger: logger.child({ component: "retrieval" }),
  }));
  const rerankerFor =
    options.rerankerFor ??
    createRerankerResolver({
      db,
      platform: {
        provider: env.RERANK_PROVIDER,
        url: env.RERANK_URL,
        model: env.RERANK_MODEL,
        apiKey: env.RERANK_API_KEY,
        timeoutMs: env.RERANK_TIMEOUT_MS,
      },
      secrets: box,
      workspaceFetch,
    });
  const search = createSearchService({ retrieval, rerankerFor, logger: logger.child({ component: "search" }) });
  const resolveResponder =
    options.responderFor ??
    createResponderResolver({
      db,
      platform: {
        provider: env.LLM_PROVIDER,
        baseUrl: env.LLM_BASE_URL,
        apiKey: env.LLM_API_KEY,
        model: env.LLM_MODEL,
        timeoutMs: env.LLM_TIMEOUT_MS,
      },
      secrets: box,
      workspaceFetch,
    });
  const responderFor = async (workspaceId: string, botModel: string | null) =>
    metrics.responder(await resolveResponder(workspaceId, botModel));
  const quota = createQuota({ db });
  const webhookQueue = options.webhookQueue ?? createWebhookQueue({ connection: redis, prefix: env.QUEUE_PREFIX });
  webhookQueue.on("error", (error) => logger.warn({ err: error }, "webhook queue error"));
  const webhooks = createWebhookEmitter({ db, queue: webhookQueue, logger: logger.child({ component: "webhooks" }) });
  const chat = metrics.answers(createChatService({
    webhooks,
    db,
    retrieval: search,
    quota,
    responderFor,
    logger: logger.child({ component: "answer" }),
    maxTokensCap: env.LLM_MAX_TOKENS,
    support: { minSupport: env.CHAT_MIN_SUPPORT, minSimilarity: env.CHAT_MIN_RELEVANT_SIMILARITY },
    curated: createCuratedMatcher({ db, embedderFor, logger: logger.child({ component: "curated" }) }),
    async embedQuestion(workspaceId, text) {
      const embedder = await embedderFor(workspaceId);
      const [embedding] = await embedder.embed([text]);
      if (!embedding) throw new Error("the embedder returned no vector");
      return { model: embedder.id, embedding };
    },
  }));
  const errorLog = createErrorLogWriter({ db, service: "chat", logger: logger.child({ component: "error-log" }) });
  const deps: AppDeps = {
    errorLog,
    env,
    db,
    sql: database.sql,
    topics: createTopicService({ db, embedderFor }),
    retrieval,
    searches: createMeteredRetrieval({ db, search, quota, logger: logger.child({ component: "search" }) }),
    search,
    chat,
    feedback: createFeedbackService({ db, webhooks }),
    curated: createCuratedService({ db, embedderFor }),
    webhooks,
    limiter: createLimiter(redis, env.CHAT_REDIS_PREFIX),
    authorizeBot: createBotAuthorizer(db),
    evals: createEvalService({ db, queue: options.evalQueue ?? null, maxQuestions: env.EVAL_MAX_QUESTIONS, responderFor }),
  };

  // Widget routes are called from customers' pages: resources may be shared cross-origin.
  const app = createServiceApp({
    logger,
    trustProxy: proxyTrust(env.TRUST_PROXY),
    bodyLimit: 256 * 1024,
    resourcePolicy: "cross-origin",
    metrics: registry,
    errorLog,
  });
  // A response finished while the service drains closes its connection: a keep-alive
  // socket left idle after an in-flight request (an MCP tool call, a JSON answer) would
  // otherwise hold the shutdown until the client's keep-alive ends.
  if (options.isShuttingDown) {
    const shuttingDown = options.isShuttingDown;
    app.addHook("onSend", async (_request, reply) => {
      if (shuttingDown()) reply.header("connection", "close");
    });
  }
  // Rate limits before auth, so requests with a forged key count against their address.
  await registerRateLimit(app, {
    redis,
    db,
    namespace: `${env.CHAT_REDIS_PREFIX}:rl:caller:`,
    max: env.CHAT_RATE_LIMIT_PER_MINUTE,
    timeWindowMs: 60_000,
  });
  registerAuth(app, {
    db,
    sessions: createSessionManager({ db, ...sessionOptionsFromEnv(env) }),
    publicPrefixes: ["/docs"],
  });
  await registerOpenApi(app, {
    title: "Docent chat",
    version: "1.0.0",
    description:
      "Ask bots and search their documents, read conversations and analytics, run evaluations; the public widget " +
      "routes; OpenAI-compatible chat completions and each bot as an MCP server. Authenticate with the session cookie " +
      "(the admin app) or `Authorization: Bearer dk_live_...`. Every error answers { requestId, statusCode, error, " +
      "message, details? }, but for the OpenAI-compatible routes (OpenAI's error body) and MCP (JSON-RPC errors).",
    servers: env.PUBLIC_CHAT_URL ? [{ url: env.PUBLIC_CHAT_URL }] : [],
    sessionCookieName: env.SESSION_COOKIE_NAME,
  });
  registerHealthRoutes(app, {
    checks: {
      postgres: () => database.sql`select 1`,
      redis: () => redis.ping(),
    },
    isShuttingDown: options.isShuttingDown,
  });
  if (!options.webhookQueue) app.addHook("onClose", () => webhookQueue.close());
  // Searches answered before the close are logged and counted before the database closes;
  // keyword postings being re-packed finish too.
  app.addHook("onClose", () => Promise.all([deps.searches.settled(), retrieval.termPacker.settled()]).then(() => {}));
  await app.register(botRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(analyticsRoutes(deps));
  await app.register(topicRoutes(deps));
  await app.register(exportRoutes(deps));
  await app.register(feedbackRoutes(deps));
  await app.register(curatedRoutes(deps));
  await app.register(mcpRoutes(deps));
  await app.register(evalRoutes(deps));
  if (options.evalWorker) {
    const worker: EvalWorker = startEvalWorker({
      ...options.evalWorker,
      runner: { db, search, logger: logger.child({ component: "evals" }), concurrency: env.EVAL_RUN_CONCURRENCY },
      logger: logger.child({ component: "evals" }),
    });
    app.addHook("preClose", () => worker.close());
  }
  await app.register(openAiRoutes(deps));
  await app.register(platformRoutes(deps));
  await app.register(widgetRoutes(deps));
  return app;
}

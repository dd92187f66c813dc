/**
 * The worker's configuration, parsed once at start-up. Storage and embedding variables
 * are shared with the API (see @docent/storage/env); the rest tunes the worker.
 */
import { envFields } from "@docent/config/env";
import { shutdownTimeoutField } from "@docent/config/run-service";
import { embeddingEnvSchema } from "@docent/embeddings/env";
import { encryptionKeysEnvField } from "@docent/service-kit/crypto/secrets";
import { metricsTokenField } from "@docent/service-kit/metrics";
import { storageEnvSchema } from "@docent/storage/env";
import { z } from "zod";

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const workerEnvSchema = storageEnvSchema.extend(embeddingEnvSchema.shape).extend({
  NODE_ENV: envFields.nodeEnv,
  LOG_LEVEL: envFields.logLevel,
  DATABASE_URL: envFields.databaseUrl,
  DATABASE_POOL_MAX: envFields.databasePoolMax,
  DATABASE_CONNECT_TIMEOUT_MS: envFields.databaseConnectTimeoutMs,
  /**
   * Limit on one SQL statement. Generous: the commit of a large document (one COPY of all
   * its chunks) legitimately runs for a minute or more.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: envFields.databaseStatementTimeoutMs(600_000),
  REDIS_URL: envFields.redisUrl,
  /**
   * Key ring that opens workspaces' BYOK embedding keys (same value as the API's and the
   * chat service's). Unset: a workspace with a stored key gets its documents FAILED.
   */
  DOCENT_ENCRYPTION_KEYS: encryptionKeysEnvField,
  /**
   * Lets workspaces' embedding base URLs reach private and loopback addresses (self-hosted
   * model servers on a private network); cloud-metadata addresses stay refused. Checked
   * when each connection opens. Same value as the API's and the chat service's.
   */
  ALLOW_PRIVATE_MODEL_URLS: envFields.booleanFlag(false),
  /** BullMQ key prefix; every service of one installation must use the same. */
  QUEUE_PREFIX: z.string().min(1).default("docent"),
  /**
   * Documents processed at once by this process. A job spends much of its time waiting on
   * Postgres (its commit, the bot's shared term-statistics rows) or on an embedding API,
   * so more jobs than cores keep the CPU busy: on 2 cores with the local embedder, 4 gave
   * 68-81% of the raw COPY rate against 47-51% for 2 (docs/benchmarks.md).
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_LOCK_DURATION_MS: ms(60_000),
  WORKER_STALLED_INTERVAL_MS: ms(30_000),
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).max(10).default(2),
  /** Texts per embedding request. */
  EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Least time between two progress writes of one document. */
  PROGRESS_INTERVAL_MS: ms(500),
  /** How often the reaper looks for documents stuck in PENDING/PROCESSING. */
  REAPER_INTERVAL_MS: ms(60_000),
  /** A document untouched this long while PENDING/PROCESSING is checked against the queue. */
  REAPER_STALE_AFTER_MS: ms(10 * 60_000),
  /**
   * How long a document waits out an outage of a dependency (database, Redis, storage,
   * embedding provider) before it is marked FAILED; outages never use its attempts, and
   * the reaper processes such a document again once the dependency answers. 6 h.
   */
  WORKER_OUTAGE_DEADLINE_MS: ms(6 * 3600_000),
  /**
   * SIGTERM: how long to wait for jobs to finish or be released before exiting anyway
   * (unfinished ones are then recovered as stalled); keep below the orchestrator's grace period.
   */
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutField,
  /** Listen address and port of the ops server (/healthz, /readyz, /metrics); 0 picks a free port. */
  HOST: z.string().default("0.0.0.0"),
  WORKER_OPS_PORT: envFields.port(3002),
  /** A bearer token the ops server's /metrics requires (health checks stay open). */
  METRICS_TOKEN: metricsTokenField,
  /** URL sources: largest response accepted and total time allowed. */
  URL_FETCH_MAX_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  URL_FETCH_TIMEOUT_MS: ms(20_000),
  /**
   * Website sources may reach private and loopback addresses (local development, tests
   * serving a site on 127.0.0.1, an intranet). Off by default: like URL ingestion, a crawl
   * then reaches public addresses only; cloud-metadata addresses stay refused either way.
   * Same value as the API's, which checks start URLs when a source is saved.
   */
  ALLOW_PRIVATE_SOURCE_URLS: envFields.booleanFlag(false),
  /** Website source crawls run at once by this process (their pages go to the ingest queue). */
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Topic stats: a question whose best retrieval score is below this found no good source (as in chat's analytics). */
  ANALYTICS_WEAK_SCORE: z.coerce.number().min(0).max(1).default(0.2),
  /** Days the daily topic-stats run recomputes (topic edits re-assign up to 30 days back). */
  TOPIC_STATS_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** Least time between two requests of a crawl to one host (robots.txt Crawl-delay may ask for more). */
  CRAWL_HOST_INTERVAL_MS: z.coerce.number().int().min(0).default(500),
  /** Pages one crawl fetches at once; requests to one host still keep CRAWL_HOST_INTERVAL_MS apart. */
  CRAWL_PAGES_IN_FLIGHT: z.coerce.number().int().min(1).max(32).default(4),
  /** The crawler's User-Agent; robots.txt rules are matched on its first word. */
  CRAWL_USER_AGENT: z.string().min(1).default("DocentBot/1.0 (+https://github.com/docent; website sources)"),
  /** Largest page (or robots.txt, or sitemap file) a crawl accepts, after decompression. */
  CRAWL_PAGE_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** One request of a crawl, redirects included: a site that answers slower fails the page. */
  CRAWL_REQUEST_TIMEOUT_MS: ms(20_000),
  /**
   * Webhook deliveries may connect to private and loopback addresses (tests with a receiver
   * on 127.0.0.1, an intranet). Off by default: each delivery's connection must reach a
   * public address. Same value as the API's, which checks endpoint URLs when saved.
   */
  ALLOW_PRIVATE_WEBHOOK_URLS: envFields.booleanFlag(false),
  /** Webhook deliveries sent at once by this process (they wait on receivers, not the CPU). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  /** One delivery's whole request (connect, answer, body): past it the attempt failed and is retried. */
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  /** Attempts of one delivery before it is FAILED (network errors, 5xx and 429 are retried). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /**
   * Wait before the 2nd attempt; each later wait is 3x the previous (1 min, 3, 9, 27 min,
   * 81 min, 4 h, 12 h: 8 attempts over about 18 h), capped at 12 h. Tests set a few ms.
   */
  WEBHOOK_RETRY_BASE_MS: ms(60_000),
  /** How often the sweeper looks for deliveries whose job was lost (Redis down when the event happened). */
  WEBHOOK_SWEEP_INTERVAL_MS: ms(60_000),
  /** Error log entries older than this many days are deleted (checked every ERROR_LOG_PRUNE_INTERVAL_MS). */
  ERROR_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  ERROR_LOG_PRUNE_INTERVAL_MS: ms(3600_000),
  /**
   * Tests only (ignored unless NODE_ENV=test): sleep this long before each embedding
   * call (see test-hooks.ts), so a kill test can catch the worker mid-document.
   */
  DOCENT_TEST_EMBED_DELAY_MS: z.coerce.number().int().min(0).default(0),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

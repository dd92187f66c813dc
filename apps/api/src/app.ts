/**
 * `buildApp(deps)`: the API as a ready, non-listening Fastify instance. Plugins go in a
 * fixed order: base (metrics, validation, request ids, cookies, errors) -> route table -> rate
 * limits -> auth (+ bot access) -> OpenAPI -> health -> resource routes. Tests drive it
 * with `inject`.
 */
import type { Database } from "@docent/db/client";
import type { IngestQueue } from "@docent/queue/producer";
import { createCrawlQueue, type CrawlQueue } from "@docent/queue/crawl";
import { cookieSecure, createBrowserBinding, createSessionManager, registerAuth, sessionOptionsFromEnv } from "@docent/http-kit/auth";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { createServiceApp, type ServiceApp } from "@docent/http-kit/fastify";
import { createErrorLogWriter } from "@docent/service-kit/error-log";
import { registerHealthRoutes } from "@docent/http-kit/health";
import { createServiceLogger, type Logger } from "@docent/http-kit/logger";
import { createMetricsRegistry, type Registry } from "@docent/service-kit/metrics";
import { registerOpenApi } from "@docent/http-kit/openapi";
import { proxyTrust } from "@docent/http-kit/proxy-trust";
import { createAttemptLimiter, registerRateLimit } from "@docent/http-kit/rate-limit";
import { sql } from "drizzle-orm";
import type { RouteOptions } from "fastify";
import type { ObjectStorage } from "@docent/storage/types";
import type { Redis } from "ioredis";
import { registerBotAccess } from "./bot-access";
import type { RouteContext } from "./context";
import type { ApiEnv } from "./env";
import { registerAdminRoutes, registerErrorLogRoutes } from "./routes/admin";
import { registerApiKeyRoutes } from "./routes/api-keys";
import { registerAuthRoutes } from "./routes/auth";
import { registerBotRoutes } from "./routes/bots";
import { registerCatalogRoutes } from "./routes/catalog";
import { registerInvitationRoutes } from "./routes/invitations";
import { registerDocumentRoutes } from "./routes/documents";
import { registerSourceRoutes } from "./routes/sources";
import { registerMemberRoutes } from "./routes/members";
import { registerOriginRoutes } from "./routes/origins";
import { registerPromptRoutes } from "./routes/prompts";
import { registerSettingsRoutes } from "./routes/settings";
import { registerSsoRoutes } from "./routes/sso";
import { registerWidgetRoutes } from "./routes/widget";
import { registerWorkspaceRoutes } from "./routes/workspaces";
import { registerWebhookRoutes } from "./routes/webhooks";
import { createWebhookService } from "./services/webhook-service";
import { createWebhookQueue, type WebhookQueue } from "@docent/queue/webhooks";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { createAdminService } from "./services/admin-service";
import { createApiKeyService } from "./services/api-key-service";
import { createAuthService } from "./services/auth-service";
import { createBotService } from "./services/bot-service";
import { createCatalogService } from "./services/catalog-service";
import type { DocumentLimits } from "./services/document-limits";
import { createDocumentsService } from "./services/document-service";
import { createSourceService } from "./services/source-service";
import { createInvitationService } from "./services/invitation-service";
import { createSettingsService } from "./services/settings-service";
import type { SignInPolicy } from "./services/sign-in-policy";
import { createSsoService } from "./services/sso-service";
import { createWorkspaceService } from "./services/workspace-service";
import { createMailer, type Mailer } from "./mail/mailer";
import { parseEmailDomains, readSsoConfig } from "./sso/config";
import { createGithubProvider } from "./sso/github";
import { createOidcProvider } from "./sso/oidc";
import { createPendingStore, PENDING_TTL_SECONDS } from "./sso/pending";
import { createProviderFetch } from "./sso/provider-fetch";

export interface ApiDeps {
  env: ApiEnv;
  db: Database;
  redis: Redis;
  /** Where uploaded originals go (FS or S3); the caller owns it. */
  storage: ObjectStorage;
  /** The ingest queue documents are enqueued on; the caller closes it. */
  queue: IngestQueue;
  /**
   * Publishes document status events and subscribes (through a duplicate) for the SSE
   * stream; needs the offline queue, unlike the fail-fast `redis`. Defaults to `redis`.
   */
  jobsRedis?: Redis;
  logger?: Logger;
  /** Reports readiness failures while the server drains on SIGTERM. */
  isShuttingDown?: () => boolean;
  /** Outgoing mail; defaults to SMTP from env (SMTP_URL). */
  mailer?: Mailer;
  /** Where HTTP metrics go (server.ts serves it on the metrics listener); a fresh one by default. */
  metrics?: Registry;
  /** Plan limits on documents; the workspace's plan by default (tests swap them). */
  documentLimits?: DocumentLimits;
  /**
   * The crawl queue website sources are crawled from, and their job schedulers; by default
   * one on `jobsRedis` with QUEUE_PREFIX, closed with the app.
   */
  crawlQueue?: CrawlQueue;
  /** The webhook delivery queue; by default one on `jobsRedis` with QUEUE_PREFIX, closed with the app. */
  webhookQueue?: WebhookQueue;
  /** Host name lookups for source and webhook URLs (tests); the system resolver by default. */
  lookup?: Parameters<typeof createSourceService>[0]["lookup"];
}

/** One entry per registered route, in registration order (the tenant-isolation test walks it). */
export interface RegisteredRoute {
  method: string;
  url: string;
  config: RouteOptions["config"];
  schema: RouteOptions["schema"];
}

declare module "fastify" {
  interface FastifyInstance {
    routeTable: RegisteredRoute[];
  }
}

export async function buildApp(deps: ApiDeps): Promise<ServiceApp> {
  const { env, db, redis } = deps;
  const logger = deps.logger ?? createServiceLogger({ service: "api", level: env.LOG_LEVEL });
  const app = createServiceApp({
    logger,
    bodyLimit: env.API_BODY_LIMIT_BYTES,
    trustProxy: proxyTrust(env.TRUST_PROXY),
    metrics: deps.metrics ?? createMetricsRegistry({ service: "api" }),
    errorLog: createErrorLogWriter({ db, service: "api", logger: logger.child({ component: "error-log" }) }),
  });

  const routeTable: RegisteredRoute[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    for (const method of ([] as string[]).concat(route.method)) {
      routeTable.push({ method, url: route.url, config: route.config, schema: route.schema });
    }
  });

  await registerRateLimit(app, {
    redis,
    db,
    namespace: `${env.REDIS_KEY_PREFIX}rl:api:`,
    max: env.API_RATE_LIMIT_MAX,
    timeWindowMs: env.API_RATE_LIMIT_WINDOW_MS,
  });
  const sessions = createSessionManager({ db, ...sessionOptionsFromEnv(env) });
  registerAuth(app, { db, sessions, publicPrefixes: ["/docs"] });
  registerBotAccess(app, { db });
  await registerOpenApi(app, {
    title: "Docent API",
    version: "1.0.0",
    description:
      "Manage workspaces, bots, documents, prompts, widgets, API keys and settings. Authenticate with the session " +
      "cookie (browser; send x-csrf-token on mutations) or `Authorization: Bearer dk_live_...`. Every error " +
      "answers { requestId, statusCode, error, message, details? }.",
    servers: env.PUBLIC_API_URL ? [{ url: env.PUBLIC_API_URL }] : [],
    sessionCookieName: env.SESSION_COOKIE_NAME,
  });
  registerHealthRoutes(app, {
    checks: {
      postgres: () => db.execute(sql`select 1`),
      redis: () => redis.ping(),
      storage: () => deps.storage.check(),
    },
    isShuttingDown: deps.isShuttingDown,
  });

  const secretBox = env.DOCENT_ENCRYPTION_KEYS ? createSecretBox(parseKeyRing(env.DOCENT_ENCRYPTION_KEYS)) : null;
  const mailer =
    deps.mailer ??
    createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, nodeEnv: env.NODE_ENV, logger: logger.child({ component: "mail" }) });
  app.addHook("onClose", () => mailer.close());
  const mailsPerAddress = createAttemptLimiter(app, { name: "mail-address", max: env.MAIL_PER_ADDRESS_PER_HOUR, timeWindowMs: 3600_000 });
  const appUrl = env.PUBLIC_APP_URL;
  const policy: SignInPolicy = { passwordEnabled: env.AUTH_PASSWORD_ENABLED, emailDomains: parseEmailDomains(env.AUTH_EMAIL_DOMAINS).domains };
  // Validated when env was parsed (apiEnvSchema); the providers are built once here.
  const providerFetch = createProviderFetch({ timeoutMs: env.SSO_TIMEOUT_MS });
  app.addHook("onClose", () => providerFetch.close());
  const identityProviders = readSsoConfig(env).providers.map((config) =>
    config.kind === "github"
      ? createGithubProvider(config, { fetch: providerFetch.fetch, timeoutMs: env.SSO_TIMEOUT_MS })
      : createOidcProvider(config, { fetch: providerFetch.fetch, timeoutMs: env.SSO_TIMEOUT_MS }),
  );
  const browserBinding = createBrowserBinding({
    cookieName: `${env.SESSION_COOKIE_NAME}_sso`,
    secureCookies: cookieSecure(env),
    ttlSeconds: PENDING_TTL_SECONDS,
  });
  const catalog = createCatalogService({ db });
  const context: RouteContext = {
    app,
    env,
    sessions,
    loginFailures: createAttemptLimiter(app, {
      name: "login-account",
      max: env.LOGIN_FAILURES_PER_ACCOUNT,
      timeWindowMs: env.LOGIN_RATE_LIMIT_WINDOW_MS,
    }),
    mailQuota: async (request, email) => {
      try {
        await mailsPerAddress.check(request, email);
      } catch {
        return false;
      }
      await mailsPerAddress.fail(request, email);
      return true;
    },
    services: {
      auth: createAuthService({ db, mailer, appUrl, policy }),
      sso: createSsoService({
        db,
        providers: identityProviders,
        pending: createPendingStore(redis, env.REDIS_KEY_PREFIX),
        policy,
        appUrl,
        logger: logger.child({ component: "sso" }),
      }),
      workspaces: createWorkspaceService({ db }),
      invitations: createInvitationService({ db, mailer, appUrl, policy }),
      bots: createBotService({ db }),
      apiKeys: createApiKeyService({ db }),
      settings: createSettingsService({ db, secretBox, allowPrivateModelUrls: env.ALLOW_PRIVATE_MODEL_URLS }),
      catalog,
      admin: createAdminService({ db, catalog }),
    },
  };
  registerAuthRoutes(context);
  registerSsoRoutes(context, browserBinding);
  registerWorkspaceRoutes(context);
  registerMemberRoutes(context);
  registerInvitationRoutes(context);
  registerBotRoutes(context);
  registerPromptRoutes(context);
  registerWidgetRoutes(context);
  registerOriginRoutes(context);
  registerApiKeyRoutes(context);
  registerSettingsRoutes(context);
  registerCatalogRoutes(context);
  registerAdminRoutes(context);
  registerErrorLogRoutes(context, db);

  const documents = createDocumentsService({
    db,
    storage: deps.storage,
    queue: deps.queue,
    redis: deps.jobsRedis ?? redis,
    logger: logger.child({ component: "documents" }),
    limits: deps.documentLimits,
  });
  app.addHook("onClose", () => documents.close());
  await registerDocumentRoutes(context, documents);

  const crawlQueue = deps.crawlQueue ?? createCrawlQueue({ connection: deps.jobsRedis ?? redis, prefix: env.QUEUE_PREFIX });
  if (!deps.crawlQueue) {
    crawlQueue.on("error", (error) => logger.warn({ err: error }, "crawl queue error"));
    app.addHook("onClose", () => crawlQueue.close());
  }
  registerSourceRoutes(
    context,
    createSourceService({
      db,
      queue: crawlQueue,
      logger: logger.child({ component: "sources" }),
      allowPrivateSourceUrls: env.ALLOW_PRIVATE_SOURCE_URLS,
      deleteDocument: (botId, documentId) => documents.delete(botId, documentId),
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    }),
  );

  const webhookQueue = deps.webhookQueue ?? createWebhookQueue({ connection: deps.jobsRedis ?? redis, prefix: env.QUEUE_PREFIX });
  if (!deps.webhookQueue) {
    webhookQueue.on("error", (error) => logger.warn({ err: error }, "webhook queue error"));
    app.addHook("onClose", () => webhookQueue.close());
  }
  registerWebhookRoutes(
    context,
    createWebhookService({
      db,
      secretBox,
      emitter: createWebhookEmitter({ db, queue: webhookQueue, logger: logger.child({ component: "webhooks" }) }),
      allowPrivateUrls: env.ALLOW_PRIVATE_WEBHOOK_URLS,
      requireHttps: env.NODE_ENV === "production",
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    }),
  );

  await app.ready();
  return app;
}

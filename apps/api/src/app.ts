/**
 * `buildApp(deps)`: the API as a ready, non-listening Fastify instance. Plugins go in a
 * fixed order: base (validation, request ids, cookies, errors) -> route table -> rate
 * limits -> auth -> OpenAPI -> health -> resource routes. Tests drive it with `inject`.
 */
import type { Database } from "@docent/db/client";
import { registerAuth, createSessionManager } from "@docent/service-kit/auth";
import { createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { createServiceApp, type ServiceApp } from "@docent/service-kit/fastify";
import { registerHealthRoutes } from "@docent/service-kit/health";
import { createServiceLogger, type Logger } from "@docent/service-kit/logger";
import { registerOpenApi } from "@docent/service-kit/openapi";
import { createAttemptLimiter, registerRateLimit } from "@docent/service-kit/rate-limit";
import { sql } from "drizzle-orm";
import type { RouteOptions } from "fastify";
import type { Redis } from "ioredis";
import type { RouteContext } from "./context";
import { cookieSecure, trustProxySetting, type ApiEnv } from "./env";
import { registerAdminRoutes } from "./routes/admin";
import { registerApiKeyRoutes } from "./routes/api-keys";
import { registerAuthRoutes } from "./routes/auth";
import { registerBotRoutes } from "./routes/bots";
import { registerCatalogRoutes } from "./routes/catalog";
import { registerMemberRoutes } from "./routes/members";
import { registerOriginRoutes } from "./routes/origins";
import { registerPromptRoutes } from "./routes/prompts";
import { registerSettingsRoutes } from "./routes/settings";
import { registerWidgetRoutes } from "./routes/widget";
import { registerWorkspaceRoutes } from "./routes/workspaces";
import { createAdminService } from "./services/admin-service";
import { createApiKeyService } from "./services/api-key-service";
import { createAuthService } from "./services/auth-service";
import { createBotService } from "./services/bot-service";
import { createCatalogService } from "./services/catalog-service";
import { createSettingsService } from "./services/settings-service";
import { createWorkspaceService } from "./services/workspace-service";

export interface ApiDeps {
  env: ApiEnv;
  db: Database;
  redis: Redis;
  logger?: Logger;
  /** Reports readiness failures while the server drains on SIGTERM. */
  isShuttingDown?: () => boolean;
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
    trustProxy: trustProxySetting(env.TRUST_PROXY),
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
    namespace: `${env.REDIS_KEY_PREFIX}rl:api:`,
    max: env.API_RATE_LIMIT_MAX,
    timeWindowMs: env.API_RATE_LIMIT_WINDOW_MS,
  });
  const sessions = createSessionManager({
    db,
    cookieName: env.SESSION_COOKIE_NAME,
    ttlMs: env.SESSION_TTL_DAYS * 24 * 3600 * 1000,
    secureCookies: cookieSecure(env),
  });
  registerAuth(app, { db, sessions, publicPrefixes: ["/docs"] });
  await registerOpenApi(app, {
    title: "Docent API",
    version: "1.0.0",
    description:
      "Manage workspaces, bots, prompts, widgets, API keys and settings. Authenticate with the session " +
      "cookie (browser; send x-csrf-token on mutations) or `Authorization: Bearer dk_live_...`. Every error " +
      "answers { requestId, statusCode, error, message, details? }.",
    servers: env.PUBLIC_API_URL ? [{ url: env.PUBLIC_API_URL }] : [],
    sessionCookieName: env.SESSION_COOKIE_NAME,
  });
  registerHealthRoutes(app, {
    checks: {
      postgres: () => db.execute(sql`select 1`),
      redis: () => redis.ping(),
    },
    isShuttingDown: deps.isShuttingDown,
  });

  const secretBox = env.DOCENT_ENCRYPTION_KEYS ? createSecretBox(parseKeyRing(env.DOCENT_ENCRYPTION_KEYS)) : null;
  const context: RouteContext = {
    app,
    env,
    sessions,
    loginFailures: createAttemptLimiter(app, {
      name: "login-account",
      max: env.LOGIN_FAILURES_PER_ACCOUNT,
      timeWindowMs: env.LOGIN_RATE_LIMIT_WINDOW_MS,
    }),
    services: {
      auth: createAuthService({ db }),
      workspaces: createWorkspaceService({ db }),
      bots: createBotService({ db }),
      apiKeys: createApiKeyService({ db }),
      settings: createSettingsService({ db, secretBox }),
      catalog: createCatalogService({ db }),
      admin: createAdminService({ db }),
    },
  };
  registerAuthRoutes(context);
  registerWorkspaceRoutes(context);
  registerMemberRoutes(context);
  registerBotRoutes(context);
  registerPromptRoutes(context);
  registerWidgetRoutes(context);
  registerOriginRoutes(context);
  registerApiKeyRoutes(context);
  registerSettingsRoutes(context);
  registerCatalogRoutes(context);
  registerAdminRoutes(context);

  await app.ready();
  return app;
}

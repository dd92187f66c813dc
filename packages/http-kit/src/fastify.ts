/**
 * The base Fastify instance of a Docent service: HTTP metrics, zod validation and
 * serialisation, request ids, security headers, cookies, the shared logger and the one
 * error handler, in a fixed order. Services add auth, rate limits, OpenAPI, health and their routes on top.
 */
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { registerErrorHandler } from "./error-handler";
import type { Logger } from "./logger";
import type { Registry } from "@docent/service-kit/metrics";
import type { ErrorLogWriter } from "@docent/service-kit/error-log";
import { registerHttpMetrics } from "./http-metrics";
import type { TrustProxy } from "./proxy-trust";
import { genRequestId, registerRequestIdHeader } from "./request-id";

export interface ServiceAppOptions {
  logger: Logger;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Which peers may set X-Forwarded-For, for req.ip (see proxy-trust.ts). */
  trustProxy?: TrustProxy;
  /**
   * Cross-Origin-Resource-Policy. `same-origin` (default) for services only the admin app
   * calls; `cross-origin` for the chat service, whose widget routes customers' pages call
   * (CORS still decides who may read them).
   */
  resourcePolicy?: "same-origin" | "cross-origin";
  /** Records every request's duration by route pattern, method and status (see metrics.ts). */
  metrics?: Registry;
  /** Where 5xx answers are recorded for platform admins (error_logs); none when unset. */
  errorLog?: ErrorLogWriter;
}

/**
 * JSON APIs render nothing: no sources at all, never framed. The docs UI (/docs) sets its
 * own, wider policy on its routes (see openapi.ts).
 */
export const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

export function createServiceApp(options: ServiceAppOptions) {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: genRequestId,
    logController: new LogController({ requestIdLogLabel: "requestId" }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }).withTypeProvider<ZodTypeProvider>();
  if (options.metrics) registerHttpMetrics(app, options.metrics);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // helmet's defaults (nosniff, no-referrer, COOP, HSTS...) with an API's CSP and no framing.
  void app.register(helmet, {
    contentSecurityPolicy: API_CONTENT_SECURITY_POLICY,
    frameguard: { action: "deny" },
    // Subdomains may be other people's sites on plain HTTP; pin this host only.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    crossOriginResourcePolicy: { policy: options.resourcePolicy ?? "same-origin" },
  });
  void app.register(cookie);
  registerRequestIdHeader(app);
  registerErrorHandler(app, options.errorLog);
  return app;
}

export type ServiceApp = ReturnType<typeof createServiceApp>;

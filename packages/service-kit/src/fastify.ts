/**
 * The base Fastify instance of a Docent service: zod validation and serialisation,
 * request ids, cookies, the shared logger and the one error handler, in a fixed order. Services
 * add auth, rate limits, OpenAPI, health and their routes on top.
 */
import cookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { registerErrorHandler } from "./error-handler";
import type { Logger } from "./logger";
import type { TrustProxy } from "./proxy-trust";
import { genRequestId, registerRequestIdHeader } from "./request-id";

export interface ServiceAppOptions {
  logger: Logger;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Which peers may set X-Forwarded-For, for req.ip (see proxy-trust.ts). */
  trustProxy?: TrustProxy;
}

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
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  void app.register(cookie);
  registerRequestIdHeader(app);
  registerErrorHandler(app);
  return app;
}

export type ServiceApp = ReturnType<typeof createServiceApp>;

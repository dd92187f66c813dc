/**
 * The base Fastify instance of a Docent service: zod validation and serialisation,
 * request ids, security headers, cookies, the shared logger and the one error handler, in
 * a fixed order. Services add auth, rate limits, OpenAPI, health and their routes on top.
 */
import { isIP } from "node:net";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { registerErrorHandler } from "./error-handler";
import type { Logger } from "./logger";
import { genRequestId, registerRequestIdHeader } from "./request-id";

export interface ServiceAppOptions {
  logger: Logger;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Which peers may set X-Forwarded-For for req.ip: see `trustProxyEnvField`. */
  trustProxy?: boolean | string;
  /**
   * Cross-Origin-Resource-Policy. `same-origin` (default) for services only the admin app
   * calls; `cross-origin` for the chat service, whose widget routes customers' pages call
   * (CORS still decides who may read them).
   */
  resourcePolicy?: "same-origin" | "cross-origin";
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

/** Names proxy-addr (Fastify's trust-proxy engine) knows for whole ranges. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function proxyEntryProblem(entry: string): string | null {
  if (PROXY_RANGE_NAMES.has(entry)) return null;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (!version || rest.length > 0) return `"${entry}" is not an IP address, a CIDR or one of ${[...PROXY_RANGE_NAMES].join("/")}`;
  if (prefix === undefined) return null;
  const bits = version === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits) return null;
  if (version === 4 && isIP(prefix) === 4) return null; // netmask form, 10.0.0.0/255.0.0.0
  return `"${entry}" has an invalid prefix length (0-${bits})`;
}

/**
 * TRUST_PROXY, the same forms for every service: `false` (default: req.ip is the TCP
 * peer), `true` (trust every X-Forwarded-For hop: only when nothing but your own proxy can
 * reach the service), or a comma-separated list of the proxies in front, as addresses,
 * CIDRs or the ranges `loopback`, `linklocal`, `uniquelocal`. With a list, req.ip is the
 * first address, from the right, that is not a trusted proxy, so a client cannot pick its
 * own address by sending X-Forwarded-For.
 */
export const trustProxyEnvField = z
  .string()
  .default("false")
  .transform((raw, ctx): boolean | string => {
    const value = raw.trim();
    if (value === "true" || value === "false") return value === "true";
    const entries = value.split(",").map((e) => e.trim()).filter(Boolean);
    const problems = entries.map(proxyEntryProblem).filter((p): p is string => p !== null);
    if (entries.length === 0 || problems.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be true, false or a comma-separated list of proxy addresses, CIDRs or loopback/linklocal/uniquelocal${problems.length ? `: ${problems.join("; ")}` : ""}`,
      });
      return z.NEVER;
    }
    return entries.join(",");
  });

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
  registerErrorHandler(app);
  return app;
}

export type ServiceApp = ReturnType<typeof createServiceApp>;

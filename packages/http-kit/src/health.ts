/**
 * `/healthz`: the process is up (for restarts). `/readyz`: every dependency answers within
 * the timeout (for load balancers); 503 naming the failing check, never its error text.
 * While shutting down, readyz answers 503 so traffic drains before the server closes.
 */
import { healthResponseSchema, readinessResponseSchema } from "@docent/contracts/health";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { checkReadiness, type ReadinessCheck } from "@docent/service-kit/readiness";

export type { ReadinessCheck };

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  timeoutMs?: number;
  isShuttingDown?: () => boolean;
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 2000;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/healthz",
    {
      config: { auth: { kind: "public" }, rateLimit: false },
      logLevel: "warn",
      schema: {
        operationId: "getHealth",
        summary: "Liveness: the process is running",
        tags: ["health"],
        response: { 200: healthResponseSchema },
      },
    },
    async () => ({ status: "ok" as const }),
  );
  typed.get(
    "/readyz",
    {
      config: { auth: { kind: "public" }, rateLimit: false },
      logLevel: "warn",
      schema: {
        operationId: "getReadiness",
        summary: "Readiness: PostgreSQL and Redis are reachable",
        tags: ["health"],
        response: { 200: readinessResponseSchema, 503: readinessResponseSchema },
      },
    },
    async (_request, reply) => {
      const { ready, body } = await checkReadiness(options.checks, { timeoutMs, isShuttingDown: options.isShuttingDown });
      return reply.status(ready ? 200 : 503).send(body);
    },
  );
}

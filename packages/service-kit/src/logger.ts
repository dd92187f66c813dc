/**
 * Fastify logging on the shared pino logger (@docent/config/logger): secrets redacted,
 * the request id labelled `requestId` on every line, requests summarised without headers.
 */
import { createLogger, type Logger } from "@docent/config/logger";
import type { FastifyReply, FastifyRequest } from "fastify";

export type { Logger };

export function createServiceLogger(options: { service: string; level?: string; destination?: Parameters<typeof createLogger>[0]["destination"] }): Logger {
  return createLogger({ service: options.service, level: options.level, destination: options.destination }).child(
    {},
    {
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: req.url.split("?")[0],
          remoteAddress: req.ip,
          userAgent: req.headers?.["user-agent"],
        }),
        res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      },
    },
  );
}

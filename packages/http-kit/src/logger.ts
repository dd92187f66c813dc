/**
 * Fastify logging on the shared pino logger (@docent/config/logger): secrets redacted,
 * the request id labelled `requestId` on every line, requests summarised without headers.
 */
import { createLogger, type Logger } from "@docent/config/logger";
import type { FastifyReply, FastifyRequest } from "fastify";

export type { Logger };

/** The service's logger with request/response serializers that leave headers out. */
export function withHttpSerializers(logger: Logger): Logger {
  return logger.child(
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

export function createServiceLogger(options: { service: string; level?: string; destination?: Parameters<typeof createLogger>[0]["destination"] }): Logger {
  return withHttpSerializers(
    createLogger({ service: options.service, level: options.level, destination: options.destination }),
  );
}

/** HTTP request metrics for a Fastify service, on the registry of @docent/service-kit/metrics. */
import { DURATION_BUCKETS, single } from "@docent/service-kit/metrics";
import type { FastifyInstance } from "fastify";
import { Histogram, type Registry } from "prom-client";

/**
 * `docent_http_request_duration_seconds{method, route, status_code}`: measured from the
 * request's arrival until its response ends (streamed answers included, a client that
 * hung up too). `route` is the pattern ("/v1/bots/:botId/chat"), or "unmatched" for URLs
 * no route serves.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = single(
    registry,
    "docent_http_request_duration_seconds",
    () =>
      new Histogram({
        name: "docent_http_request_duration_seconds",
        help: "HTTP requests by route pattern, method and status: time from arrival until the response ended",
        labelNames: ["method", "route", "status_code"] as const,
        buckets: DURATION_BUCKETS,
        registers: [registry],
      }),
  );
  app.addHook("onRequest", (request, reply, done) => {
    const end = duration.startTimer();
    reply.raw.once("close", () => {
      end({
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status_code: String(reply.raw.statusCode),
      });
    });
    done();
  });
}

/**
 * The worker's small HTTP server for operators: `GET /healthz` (the process answers),
 * `GET /readyz` (Redis and PostgreSQL answer and the BullMQ worker is running; 503 while
 * shutting down) and `GET /metrics` (Prometheus; a bearer METRICS_TOKEN when one is set).
 * The image's HEALTHCHECK calls `/readyz`. The worker has no other HTTP
 * surface, so this is plain node:http rather than a framework.
 */
import { createServer } from "node:http";
import { type HttpListener, listenHttp } from "@docent/service-kit/http-listener";
import { type Registry, serveMetrics } from "@docent/service-kit/metrics";
import { checkReadiness, type ReadinessCheck } from "@docent/service-kit/readiness";

export interface OpsServerOptions {
  host: string;
  port: number;
  checks: Record<string, ReadinessCheck>;
  isShuttingDown(): boolean;
  timeoutMs?: number;
  /** Served at /metrics; `token` (METRICS_TOKEN) is then required as a bearer token. */
  metrics?: { registry: Registry; token?: string | undefined };
}

export type OpsServer = HttpListener;

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const metrics = options.metrics && serveMetrics(options.metrics.registry, { token: options.metrics.token });
  const server = createServer((request, response) => {
    if (metrics?.(request, response)) return;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(body));
    };
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") return send(405, { error: "METHOD_NOT_ALLOWED" });
    if (path === "/healthz") return send(200, { status: "ok" });
    if (path === "/readyz") {
      void checkReadiness(options.checks, { timeoutMs, isShuttingDown: options.isShuttingDown }).then(({ ready, body }) =>
        send(ready ? 200 : 503, body),
      );
      return;
    }
    send(404, { error: "NOT_FOUND" });
  });
  return listenHttp(server, options.host, options.port);
}

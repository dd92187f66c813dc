/**
 * Prometheus metrics (prom-client) shared by api, chat and the worker: one registry per
 * process labelled with the service, HTTP request durations by route pattern, method and
 * status (never raw URLs, so ids in paths cannot blow up the series count), embedding
 * calls, and the `/metrics` endpoint itself. Labels never carry tenant data (no workspace,
 * bot, user or key ids, no model names a tenant chose).
 *
 * `/metrics` is never served on a service's public port: api and chat serve it on a
 * listener of its own (METRICS_HOST:METRICS_PORT, loopback by default), the worker on its
 * ops server; either way METRICS_TOKEN, when set, is required as a bearer token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { StartupError } from "@docent/config/run-service";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { z } from "zod";
import { type HttpListener, listenHttp } from "./http-listener";

export { Registry };

/** A bearer token `/metrics` requires when set; long enough that guessing is hopeless. */
export const metricsTokenField = z.string().min(16, "must be at least 16 characters").optional();

/**
 * The metrics listener's settings (api and chat): METRICS_HOST (loopback by default, so
 * only the host itself can scrape unless told otherwise), METRICS_PORT ("off" for none, 0
 * for any free port) and METRICS_TOKEN (a bearer token every scrape must send).
 */
export const metricsEnvFields = (defaultPort: number) => ({
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  METRICS_PORT: z
    .union([z.literal("off"), z.coerce.number().int().min(0).max(65_535)])
    .default(defaultPort),
  METRICS_TOKEN: metricsTokenField,
});

/** Seconds; from a fast JSON read to a long streamed answer. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface MetricsRegistryOptions {
  /** "api", "chat" or "worker": the `service` label of every series. */
  service: string;
  /** Node's process metrics (CPU, memory, event loop lag, GC); on in the real processes. */
  processMetrics?: boolean;
}

export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** A metric of `registry`, or the one already registered under that name (one per registry). */
export function single<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The part of @docent/embeddings' Embedder that metrics wrap. */
export interface EmbedderShape {
  readonly id: string;
  embed(texts: string[], options?: never): Promise<unknown[]>;
}

/**
 * Embedding calls by provider ("local", "openai", "ollama"...: the part of the embedder id
 * before the colon, never the model a tenant typed): requests by outcome, texts, duration.
 * `instrument(embedder)` returns an embedder that records each call.
 */
export function createEmbeddingMetrics(registry: Registry) {
  const requests = single(
    registry,
    "docent_embedding_requests_total",
    () =>
      new Counter({
        name: "docent_embedding_requests_total",
        help: "Embedding requests by provider and outcome (ok, error)",
        labelNames: ["provider", "outcome"] as const,
        registers: [registry],
      }),
  );
  const texts = single(
    registry,
    "docent_embedding_texts_total",
    () =>
      new Counter({
        name: "docent_embedding_texts_total",
        help: "Texts sent to be embedded, by provider",
        labelNames: ["provider"] as const,
        registers: [registry],
      }),
  );
  const duration = single(
    registry,
    "docent_embedding_request_duration_seconds",
    () =>
      new Histogram({
        name: "docent_embedding_request_duration_seconds",
        help: "Embedding request durations by provider",
        labelNames: ["provider"] as const,
        buckets: DURATION_BUCKETS,
        registers: [registry],
      }),
  );
  const wrapped = new WeakMap<object, unknown>();
  const instrumented = new WeakSet<object>();
  return {
    /** Records each call of `embedder`; an embedder already instrumented comes back as is. */
    instrument<E extends EmbedderShape>(embedder: E): E {
      if (instrumented.has(embedder)) return embedder;
      const seen = wrapped.get(embedder);
      if (seen) return seen as E;
      const provider = embedder.id.split(":")[0] || "unknown";
      const embed = async (input: string[], options?: never) => {
        const end = duration.startTimer({ provider });
        try {
          const vectors = await embedder.embed(input, options);
          requests.inc({ provider, outcome: "ok" });
          texts.inc({ provider }, input.length);
          return vectors;
        } catch (error) {
          requests.inc({ provider, outcome: "error" });
          throw error;
        } finally {
          end();
        }
      };
      const proxy = new Proxy(embedder, {
        get: (target, property, receiver) => (property === "embed" ? embed : Reflect.get(target, property, receiver)),
      });
      wrapped.set(embedder, proxy);
      instrumented.add(proxy);
      return proxy;
    },
  };
}
export type EmbeddingMetrics = ReturnType<typeof createEmbeddingMetrics>;

/** Constant-time comparison of a presented bearer token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

/**
 * Answers `GET /metrics` from `registry` (401 without the bearer `token` when one is set);
 * returns false for any other path, so a server can serve more than metrics.
 */
export function serveMetrics(
  registry: Registry,
  options: { token?: string | undefined },
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/metrics") return false;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "cache-control": "no-store", ...headers });
      response.end(body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(405, JSON.stringify({ error: "METHOD_NOT_ALLOWED" }), { "content-type": "application/json", allow: "GET" });
    } else if (options.token && !tokenMatches(request.headers.authorization, options.token)) {
      send(401, JSON.stringify({ error: "UNAUTHENTICATED", message: "Send Authorization: Bearer <METRICS_TOKEN>" }), {
        "content-type": "application/json",
        "www-authenticate": 'Bearer realm="metrics"',
      });
    } else {
      registry.metrics().then(
        (text) => send(200, text, { "content-type": registry.contentType }),
        () => send(500, JSON.stringify({ error: "INTERNAL" }), { "content-type": "application/json" }),
      );
    }
    return true;
  };
}

export type MetricsServer = HttpListener;

/** A listener that serves only `/metrics` (api and chat keep it off their public port). */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  token?: string | undefined;
}): Promise<MetricsServer> {
  const handle = serveMetrics(options.registry, { token: options.token });
  const server = createServer((request, response) => {
    if (!handle(request, response)) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "NOT_FOUND" }));
    }
  });
  return listenHttp(server, options.host, options.port);
}

/**
 * Starts the metrics listener a service's env asks for (METRICS_PORT "off": none) and logs
 * where it listens; a port already taken stops start-up with a readable error.
 */
export async function listenForScrapes(
  env: { METRICS_HOST: string; METRICS_PORT: number | "off"; METRICS_TOKEN?: string | undefined },
  registry: Registry,
  logger: { info(object: object, message: string): void },
): Promise<MetricsServer | undefined> {
  if (env.METRICS_PORT === "off") return undefined;
  let server: MetricsServer;
  try {
    server = await startMetricsServer({ host: env.METRICS_HOST, port: env.METRICS_PORT, registry, token: env.METRICS_TOKEN });
  } catch (error) {
    throw new StartupError(
      `metrics listener: cannot listen on ${env.METRICS_HOST}:${env.METRICS_PORT} (${(error as Error).message}); set METRICS_PORT to a free port or "off"`,
      { cause: error },
    );
  }
  logger.info({ host: env.METRICS_HOST, port: server.port, tokenRequired: Boolean(env.METRICS_TOKEN) }, "metrics listening");
  return server;
}

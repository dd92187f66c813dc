/**
 * Server-Sent Events on a hijacked Fastify reply: the status and headers go out at once,
 * events follow as they happen, an optional comment line keeps idle streams open through
 * proxies, and a client disconnect aborts the work behind them. Writes after the stream
 * has closed are dropped.
 */
import type { FastifyReply } from "fastify";

export interface SseOptions {
  headers?: Record<string, string>;
  /** Sends a `: ping` comment this often while the stream is open (none by default). */
  heartbeatMs?: number;
  /** Called once when the response closes, whether the client left or `end()` was called. */
  onClose?: () => void;
}

export interface SseStream {
  send(event: string, data: unknown): void;
  /** Raw `data:` line (OpenAI's stream has no event names). */
  data(payload: string): void;
  end(): void;
  /** Aborted when the client goes away before `end()`. */
  signal: AbortSignal;
}

export function openSse(reply: FastifyReply, options: SseOptions = {}): SseStream {
  const controller = new AbortController();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // Disables proxy buffering (nginx) so events reach the browser as they are made.
    "x-accel-buffering": "no",
    "x-request-id": String(reply.request.id),
    ...options.headers,
  });
  res.flushHeaders();
  let open = true;
  const write = (chunk: string) => {
    if (open) res.write(chunk);
  };
  const heartbeat = options.heartbeatMs ? setInterval(() => write(": ping\n\n"), options.heartbeatMs) : undefined;
  res.once("close", () => {
    if (open) controller.abort();
    open = false;
    clearInterval(heartbeat);
    options.onClose?.();
  });
  return {
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    data: (payload) => write(`data: ${payload}\n\n`),
    end: () => {
      if (open) {
        open = false;
        res.end();
      }
    },
    signal: controller.signal,
  };
}

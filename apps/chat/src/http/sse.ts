/**
 * Server-Sent Events on a hijacked Fastify reply: the status and headers go out at once,
 * events follow as they happen, and a client disconnect aborts the work behind them.
 */
import type { FastifyReply } from "fastify";

export interface SseStream {
  send(event: string, data: unknown): void;
  /** Raw `data:` line (OpenAI's stream has no event names). */
  data(payload: string): void;
  end(): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export function openSse(reply: FastifyReply, headers: Record<string, string> = {}): SseStream {
  const controller = new AbortController();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // Disables proxy buffering (nginx) so tokens reach the browser as they are made.
    "x-accel-buffering": "no",
    "x-request-id": String(reply.request.id),
    ...headers,
  });
  res.flushHeaders();
  let open = true;
  res.on("close", () => {
    if (open) controller.abort();
    open = false;
  });
  const write = (chunk: string) => {
    if (open) res.write(chunk);
  };
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

/**
 * Runs an answer and delivers it as one JSON body or as Server-Sent Events:
 * `start` (conversation and message ids), `token` (text pieces), `citations`, `done`
 * (final text, usage, latency) or `error`. The stream opens only once the answer has
 * started, so failures before that (auth, quota, validation) are ordinary JSON errors.
 */
import { chatAnswerSchema, chatStreamEventSchema, type ChatAnswerDto, type ChatStreamEvents } from "@docent/contracts/chat-stream";
import { normalizeError, toErrorBody } from "@docent/http-kit/error-handler";
import { DependencyUnavailableError } from "@docent/service-kit/errors";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AskEvents, ChatAnswer } from "../answer/service";
import { openSse, type SseStream } from "@docent/http-kit/sse";

/** The 200 of an answering route: the JSON answer, or its events (`schema` is the JSON body). */
export const answerResponse = (schema: typeof chatAnswerSchema = chatAnswerSchema) => ({
  description: "The answer as JSON, or with stream: true as Server-Sent Events (start, token..., citations, then done or error).",
  content: {
    "application/json": { schema },
    "text/event-stream": { schema: chatStreamEventSchema },
  },
});

export const answerBody = (a: ChatAnswer): ChatAnswerDto => ({
  conversationId: a.conversationId,
  messageId: a.messageId,
  answer: a.content,
  citations: a.citations,
  extractive: a.extractive,
  refused: a.refused,
  curated: a.curated,
  model: a.model,
  usage: a.usage,
  latencyMs: a.latencyMs,
});

export async function streamAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (events: AskEvents, signal: AbortSignal) => Promise<ChatAnswer>,
  opts: { headers?: Record<string, string>; startExtra?: { visitorId: string }; onDone?: (a: ChatAnswer) => Promise<void> } = {},
): Promise<FastifyReply> {
  const controller = new AbortController();
  let sse: SseStream | null = null;
  const send = <E extends keyof ChatStreamEvents>(stream: SseStream | null, event: E, data: ChatStreamEvents[E]) => stream?.send(event, data);
  try {
    const answer = await run(
      {
        onStart: (e) => {
          sse = openSse(reply, { headers: opts.headers });
          sse.signal.addEventListener("abort", () => controller.abort());
          send(sse, "start", { ...e, ...opts.startExtra });
        },
        onToken: (text) => send(sse, "token", { text }),
      },
      controller.signal,
    );
    await opts.onDone?.(answer);
    const stream = sse as SseStream | null;
    send(stream, "citations", { citations: answer.citations });
    send(stream, "done", answerBody(answer));
    stream?.end();
  } catch (error) {
    const stream = sse as SseStream | null;
    if (!stream) throw error;
    const appError = normalizeError(error);
    if (appError instanceof DependencyUnavailableError) {
      request.log.warn({ dependency: appError.dependency }, "streamed answer ended: dependency unavailable");
    } else if (appError.statusCode >= 500) {
      request.log.error({ err: error }, "streamed answer failed");
    }
    // A dependency that died mid-answer ends the stream with the same 503 body a request
    // would get (details.retryAfterSeconds says when to try again).
    send(stream, "error", toErrorBody(request, appError));
    stream.end();
  }
  return reply;
}

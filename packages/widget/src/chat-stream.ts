/**
 * The chat service's answers, read into callbacks: a streamed answer's events (`start`,
 * `token`, `citations`, then `done` or `error`) or a JSON answer, in the shapes the
 * contracts define (@docent/contracts/chat-stream). Shared by the widget and the admin
 * playground so both read answers the same way.
 *
 * Only the contracts' types are imported: their zod schemas would triple the widget's
 * bundle (+24 kB gzip). The server validates what it sends; here a small check of each
 * event's name and of the fields its callback reads stands in for them.
 */
import type { ChatAnswerDto, ChatStreamEventName, ChatStreamEvents, CitationDto } from "@docent/contracts/chat-stream";
import type { TranscriptCitationDto } from "@docent/contracts/chat";
import { readSse } from "./sse";

/** A citation as the widget and the playground show it. */
export interface Citation {
  /** The `[n]` marker number in the answer text. */
  index: number;
  documentId?: string;
  documentName: string;
  chunkId?: string;
  page?: number;
  headingPath?: string[];
  /** The cited passage (or an excerpt of it). */
  content?: string;
  score?: number;
}

export interface StreamHandlers {
  onStart?(info: Partial<ChatStreamEvents["start"]>): void;
  onToken?(text: string): void;
  onCitations?(citations: Citation[]): void;
  /**
   * The answer is complete and stored. `answer` is the stored text (the tokens add up to
   * it; a client showing it is sure to show what a reload will show) and `conversationId`
   * the conversation it was stored in (the one announced at `start` exists only from now).
   * Empty when the stream ended without saying so.
   */
  onDone?(info: Partial<ChatAnswerDto>): void;
  onError?(message: string): void;
}

const UNREADABLE = "The answer could not be read.";

/** An answer's citation, or a transcript's (whose document fields are null once it is deleted). */
export function normaliseCitation(c: CitationDto | TranscriptCitationDto): Citation {
  return {
    index: c.index,
    documentName: c.documentName ?? "Deleted document",
    ...(c.documentId ? { documentId: c.documentId } : {}),
    ...(c.chunkId ? { chunkId: c.chunkId } : {}),
    ...(c.page !== null ? { page: c.page } : {}),
    headingPath: c.headingPath,
    ...(c.quote ? { content: c.quote } : {}),
    score: c.score,
  };
}

/** Reads an error body in the platform's `{ message }` format, or falls back to the status text. */
export async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string" && body.message) return body.message;
  } catch {
    /* not JSON */
  }
  return text.trim().slice(0, 300) || `Request failed (${response.status})`;
}

function json(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isString = (v: unknown) => typeof v === "string";

/** What each event's callback reads, checked before the data is taken for the contract's shape. */
const eventChecks: { [K in ChatStreamEventName]: (data: Record<string, unknown>) => boolean } = {
  start: (d) => isString(d.conversationId) && isString(d.messageId),
  token: (d) => isString(d.text),
  citations: (d) => Array.isArray(d.citations),
  done: (d) => isAnswer(d),
  error: (d) => isString(d.message),
};

function isAnswer(d: Record<string, unknown> | null): d is ChatAnswerDto {
  return d !== null && isString(d.conversationId) && isString(d.messageId) && isString(d.answer) && Array.isArray(d.citations);
}

function deliverAnswer(answer: ChatAnswerDto, handlers: StreamHandlers) {
  handlers.onStart?.({ conversationId: answer.conversationId, messageId: answer.messageId });
  if (answer.answer) handlers.onToken?.(answer.answer);
  handlers.onCitations?.(answer.citations.map(normaliseCitation));
  handlers.onDone?.(answer);
}

/**
 * Consumes a chat response. A non-2xx answer, an `error` event or data that is not what the
 * contracts say calls onError; a JSON (non-streamed) answer is mapped onto the same callbacks.
 */
export async function consumeChatResponse(response: Response, handlers: StreamHandlers, signal?: AbortSignal): Promise<void> {
  if (!response.ok) {
    handlers.onError?.(await errorMessageOf(response));
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("text/event-stream") || !response.body) {
    const answer = json(await response.text());
    if (isAnswer(answer)) deliverAnswer(answer, handlers);
    else handlers.onError?.(UNREADABLE);
    return;
  }
  for await (const event of readSse(response.body, signal)) {
    const finished = deliverEvent(event.event, json(event.data), handlers);
    if (finished) return;
  }
  if (!signal?.aborted) handlers.onDone?.({});
}

/** Hands one event to its callback; true when the answer is over (done, error or unreadable). */
function deliverEvent(name: string, data: Record<string, unknown> | null, handlers: StreamHandlers): boolean {
  if (!Object.hasOwn(eventChecks, name)) return false;
  if (!data || !eventChecks[name as ChatStreamEventName](data)) {
    handlers.onError?.(UNREADABLE);
    return true;
  }
  const event = { name, data } as { [K in ChatStreamEventName]: { name: K; data: ChatStreamEvents[K] } }[ChatStreamEventName];
  switch (event.name) {
    case "start":
      handlers.onStart?.(event.data);
      return false;
    case "token":
      if (event.data.text) handlers.onToken?.(event.data.text);
      return false;
    case "citations":
      handlers.onCitations?.(event.data.citations.map(normaliseCitation));
      return false;
    case "done":
      handlers.onDone?.(event.data);
      return true;
    case "error":
      handlers.onError?.(event.data.message);
      return true;
  }
}

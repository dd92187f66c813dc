/**
 * The chat service's streaming protocol (events `start`, `token`, `citations`, `done`,
 * `error`), normalised into callbacks. Shared by the widget and the admin playground so
 * both read the stream the same way; field names are read tolerantly so a renamed field
 * degrades to a missing value, not a crash.
 */
import { parseData, readSse } from "./sse";

export interface Citation {
  /** The `[n]` marker number in the answer text. */
  index: number;
  documentId?: string;
  documentName: string;
  chunkId?: string;
  page?: number;
  headingPath?: string[];
  /** The cited chunk's text (or an excerpt of it). */
  content?: string;
  score?: number;
}

export interface StreamHandlers {
  onStart?(info: { conversationId?: string; messageId?: string; visitorId?: string }): void;
  onToken?(text: string): void;
  onCitations?(citations: Citation[]): void;
  /**
   * The answer is complete and stored. `answer` is the stored text (the tokens add up to
   * it; a client showing it is sure to show what a reload will show) and `conversationId`
   * the conversation it was stored in (the one announced at `start` exists only from now).
   */
  onDone?(info: {
    messageId?: string;
    conversationId?: string;
    answer?: string;
    latencyMs?: number;
    extractive?: boolean;
    usage?: Record<string, unknown>;
  }): void;
  onError?(message: string): void;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export function normaliseCitation(raw: unknown, position: number): Citation {
  const c = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const doc = (c.document && typeof c.document === "object" ? c.document : {}) as Record<string, unknown>;
  const meta = (c.metadata && typeof c.metadata === "object" ? c.metadata : {}) as Record<string, unknown>;
  const headingPath = c.headingPath ?? meta.headingPath;
  const page = num(c.page) ?? num(meta.page);
  const documentId = str(c.documentId) ?? str(doc.id);
  const chunkId = str(c.chunkId) ?? str(c.id);
  const content = str(c.content) ?? str(c.quote) ?? str(c.snippet) ?? str(c.text) ?? str(c.excerpt);
  const score = num(c.score);
  return {
    index: num(c.index) ?? num(c.marker) ?? num(c.n) ?? position + 1,
    documentName: str(c.documentName) ?? str(doc.name) ?? str(c.title) ?? (c.documentName === null ? "Deleted document" : "Source"),
    ...(documentId ? { documentId } : {}),
    ...(chunkId ? { chunkId } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(Array.isArray(headingPath) ? { headingPath: headingPath.filter((h): h is string => typeof h === "string") } : {}),
    ...(content ? { content } : {}),
    ...(score !== undefined ? { score } : {}),
  };
}

export function normaliseCitations(payload: Record<string, unknown>): Citation[] {
  const list = payload.citations ?? payload.items ?? payload.sources;
  return Array.isArray(list) ? list.map(normaliseCitation) : [];
}

/** Reads an error body in the platform's `{ message }` format, or falls back to the status text. */
export async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.message === "string" && body.message) return body.message;
    if (typeof body.error === "string" && body.error) return body.error;
  } catch {
    /* not JSON */
  }
  return text.trim().slice(0, 300) || `Request failed (${response.status})`;
}

/**
 * Consumes a chat response. A non-2xx answer or an `error` event calls onError; a JSON
 * (non-streamed) answer is mapped onto the same callbacks.
 */
export async function consumeChatResponse(response: Response, handlers: StreamHandlers, signal?: AbortSignal): Promise<void> {
  if (!response.ok) {
    handlers.onError?.(await errorMessageOf(response));
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("text/event-stream") || !response.body) {
    const body = parseData(await response.text());
    handlers.onStart?.({ conversationId: str(body.conversationId), messageId: str(body.messageId) });
    const answer = str(body.answer) ?? str(body.content) ?? str(body.text) ?? "";
    if (answer) handlers.onToken?.(answer);
    handlers.onCitations?.(normaliseCitations(body));
    const conversationId = str(body.conversationId);
    handlers.onDone?.({ messageId: str(body.messageId), answer, ...(conversationId ? { conversationId } : {}) });
    return;
  }
  let finished = false;
  for await (const event of readSse(response.body, signal)) {
    const data = parseData(event.data);
    switch (event.event) {
      case "start":
        handlers.onStart?.({
          conversationId: str(data.conversationId),
          messageId: str(data.messageId) ?? str(data.assistantMessageId),
          visitorId: str(data.visitorId) ?? str(data.sessionId),
        });
        break;
      case "token":
      case "message": {
        const text = typeof data.text === "string" ? data.text : typeof data.delta === "string" ? data.delta : typeof data.token === "string" ? data.token : typeof data.content === "string" ? data.content : "";
        if (text) handlers.onToken?.(text);
        break;
      }
      case "citations":
        handlers.onCitations?.(normaliseCitations(data));
        break;
      case "done": {
        finished = true;
        const usage = data.usage && typeof data.usage === "object" ? (data.usage as Record<string, unknown>) : undefined;
        const latencyMs = num(data.latencyMs);
        const extractive = typeof data.extractive === "boolean" ? data.extractive : undefined;
        const answer = typeof data.answer === "string" ? data.answer : undefined;
        const conversationId = str(data.conversationId);
        handlers.onDone?.({
          messageId: str(data.messageId),
          ...(answer !== undefined ? { answer } : {}),
          ...(conversationId ? { conversationId } : {}),
          ...(latencyMs !== undefined ? { latencyMs } : {}),
          ...(extractive !== undefined ? { extractive } : {}),
          ...(usage ? { usage } : {}),
        });
        break;
      }
      case "error":
        finished = true;
        handlers.onError?.(str(data.message) ?? str(data.text) ?? "The answer could not be completed.");
        break;
      default:
        break;
    }
  }
  if (!finished && !signal?.aborted) handlers.onDone?.({});
}

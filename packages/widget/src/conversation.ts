/**
 * One question to the assistant, streamed: sent with the visitor's ids, followed as the
 * answer grows, and what the service assigns kept in the visitor's state (the visitor id,
 * and the conversation once its first answer is stored).
 */
import { type Citation, consumeChatResponse } from "./chat-stream";
import type { ChatRequest, Transport } from "./service";
import type { VisitorStore } from "./storage";

export interface AnswerOutcome {
  /** The answer as the service stored it (the streamed tokens if it never said). */
  text: string;
  citations: Citation[];
  /** The stored answer's id (what a rating names); null when the service did not say. */
  messageId: string | null;
  /** Why there is no answer; null when there is one, or when the question was cancelled. */
  failed: string | null;
}

export interface StreamAnswerOptions {
  transport: Transport;
  store: VisitorStore;
  signal: AbortSignal;
  /** The answer so far, each time it changes. */
  onText(text: string): void;
}

export async function streamAnswer(question: string, { transport, store, signal, onText }: StreamAnswerOptions): Promise<AnswerOutcome> {
  let text = "";
  let citations: Citation[] = [];
  let messageId = null as string | null;
  let failed = null as string | null;
  try {
    const request: ChatRequest = { message: question, visitorId: store.state.visitorId };
    if (store.state.conversationId) request.conversationId = store.state.conversationId;
    const response = await transport(request, signal);
    await consumeChatResponse(
      response,
      {
        onStart: (info) => {
          if (info.visitorId) store.state.visitorId = info.visitorId;
        },
        onToken: (t) => {
          text += t;
          onText(text);
        },
        onCitations: (list) => {
          citations = list;
        },
        onDone: (info) => {
          // The conversation exists once its first answer is stored; the stored text is
          // what the transcript shows, so the widget ends on exactly that.
          if (info.conversationId) store.state.conversationId = info.conversationId;
          if (info.messageId) messageId = info.messageId;
          if (info.answer !== undefined && info.answer !== text) {
            text = info.answer;
            onText(text);
          }
        },
        onError: (message) => {
          failed = message;
        },
      },
      signal,
    );
  } catch {
    if (!signal.aborted) failed = "The assistant could not be reached. Please try again.";
  }
  return { text, citations, messageId, failed };
}

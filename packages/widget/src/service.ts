/**
 * The widget's two calls to the chat service: its appearance (`GET .../config`, which also
 * tells whether this site may use the bot) and a question (`POST .../chat`, answered as an
 * event stream). The admin preview swaps in its own transport for questions.
 */
import { errorMessageOf } from "./chat-stream";
import { type WidgetConfig, resolveConfig } from "./config";

export interface ChatRequest {
  message: string;
  conversationId?: string;
  visitorId: string;
}
/** Sends one question; the default posts to the widget endpoint, the admin preview swaps in its own. */
export type Transport = (request: ChatRequest, signal: AbortSignal) => Promise<Response>;

const widgetEndpoint = (apiBase: string, publicId: string, path: string) =>
  `${apiBase.replace(/\/$/, "")}/v1/widget/${encodeURIComponent(publicId)}/${path}`;

export function widgetTransport(apiBase: string, publicId: string): Transport {
  return (request, signal) =>
    fetch(widgetEndpoint(apiBase, publicId, "chat"), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      credentials: "omit",
      body: JSON.stringify({ ...request, stream: true, pageUrl: location.href.slice(0, 2000) }),
      signal,
    });
}

/**
 * Rates an answer with 1-5 stars and an optional comment; resolves whether the service
 * stored it (false, or a rejection, when it did not). The admin preview swaps in its own.
 */
export type Rater = (rating: { messageId: string; visitorId: string; stars: number; comment?: string }) => Promise<boolean>;

export function widgetRater(apiBase: string, publicId: string): Rater {
  return ({ messageId, visitorId, stars, comment }) =>
    fetch(widgetEndpoint(apiBase, publicId, `messages/${encodeURIComponent(messageId)}/feedback`), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      credentials: "omit",
      body: JSON.stringify({ visitorId, stars, ...(comment ? { comment } : {}) }),
    }).then((response) => response.ok);
}

/** The bot's appearance, or why the widget cannot be used here (a message to show). */
export type RemoteConfig = { config: WidgetConfig } | { unavailable: string };

export async function fetchWidgetConfig(apiBase: string, publicId: string): Promise<RemoteConfig> {
  try {
    const response = await fetch(widgetEndpoint(apiBase, publicId, "config"), { credentials: "omit", headers: { accept: "application/json" } });
    if (!response.ok) return { unavailable: await errorMessageOf(response) };
    return { config: resolveConfig(await response.json()) };
  } catch {
    // A refusal without CORS headers is unreadable to us and looks like a network error.
    return { unavailable: "This assistant is not available on this site right now." };
  }
}

/** Asks for a person on the visitor's conversation (`POST .../conversations/:id/handoff`); an error message on failure. */
export type HandoffTransport = (request: { conversationId: string; visitorId: string }) => Promise<{ ok: true } | { error: string }>;

export function widgetHandoff(apiBase: string, publicId: string): HandoffTransport {
  return async ({ conversationId, visitorId }) => {
    try {
      const response = await fetch(widgetEndpoint(apiBase, publicId, `conversations/${encodeURIComponent(conversationId)}/handoff`), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        credentials: "omit",
        body: JSON.stringify({ visitorId }),
      });
      return response.ok ? { ok: true } : { error: await errorMessageOf(response) };
    } catch {
      return { error: "The request could not be sent; please try again." };
    }
  };
}

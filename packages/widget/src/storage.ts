/**
 * What the widget remembers for a visitor across page loads: an anonymous visitor id, the
 * current conversation id and the last messages (so the panel shows the conversation again
 * after a reload). Kept in localStorage per bot; any storage failure (private mode, quota)
 * degrades to an in-memory conversation.
 */
import type { Citation } from "./chat-stream";

export interface StoredMessage {
  role: "user" | "assistant" | "notice";
  text: string;
  citations?: Citation[];
  /** The answer's id (for rating it) and the stars the visitor gave it. */
  messageId?: string;
  stars?: number;
}

export interface VisitorState {
  visitorId: string;
  conversationId?: string;
  messages: StoredMessage[];
}

const MAX_MESSAGES = 40;

/** 16-64 characters of [A-Za-z0-9_-], the format the widget endpoint accepts. */
function randomId(): string {
  if (typeof crypto !== "undefined" && "getRandomValues" in crypto) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return `v_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  return `v_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 14)}`.padEnd(18, "0");
}

export class VisitorStore {
  private readonly key: string;
  state: VisitorState;

  constructor(publicId: string, private readonly storage: Storage | null) {
    this.key = `docent-widget:${publicId}`;
    this.state = this.load() ?? { visitorId: randomId(), messages: [] };
    this.save();
  }

  private load(): VisitorState | null {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<VisitorState>;
      if (typeof parsed.visitorId !== "string") return null;
      return {
        visitorId: parsed.visitorId,
        ...(typeof parsed.conversationId === "string" ? { conversationId: parsed.conversationId } : {}),
        messages: Array.isArray(parsed.messages)
          ? parsed.messages.filter((m): m is StoredMessage => !!m && typeof m.text === "string" && (m.role === "user" || m.role === "assistant"))
          : [],
      };
    } catch {
      return null;
    }
  }

  save(): void {
    try {
      const messages = this.state.messages.filter((m) => m.role !== "notice").slice(-MAX_MESSAGES);
      this.storage?.setItem(this.key, JSON.stringify({ ...this.state, messages }));
    } catch {
      /* storage unavailable: keep the conversation in memory only */
    }
  }

  reset(): void {
    this.state = { visitorId: this.state.visitorId, messages: [] };
    this.save();
  }
}

/** The page's localStorage, or null where reading it throws (sandboxed frames, some privacy modes). */
export function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

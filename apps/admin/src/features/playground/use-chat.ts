/** Playground conversation state: sends a question, streams the answer, keeps citations and feedback. */
import { useCallback, useRef, useState } from "react";
import { api } from "../../api/client";
import type { Citation } from "../../api/types";

export interface ChatTurn {
  key: string;
  role: "user" | "assistant";
  text: string;
  citations: Citation[];
  messageId?: string;
  streaming?: boolean;
  error?: string;
  latencyMs?: number;
  extractive?: boolean;
  /** Answered with this curated answer instead of a generated one. */
  curated?: { id: string; question: string } | null;
  feedback?: 1 | -1;
}

let seq = 0;
const nextKey = () => `t${++seq}`;

export function useChat(botId: string) {
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>();
  const abort = useRef<AbortController | null>(null);
  const busy = turns.some((t) => t.streaming);

  const update = (key: string, change: Partial<ChatTurn> | ((t: ChatTurn) => Partial<ChatTurn>)) =>
    setTurns((list) => list.map((t) => (t.key === key ? { ...t, ...(typeof change === "function" ? change(t) : change) } : t)));

  const ask = useCallback(
    async (message: string) => {
      const answerKey = nextKey();
      setTurns((list) => [...list, { key: nextKey(), role: "user", text: message, citations: [] }, { key: answerKey, role: "assistant", text: "", citations: [], streaming: true }]);
      abort.current = new AbortController();
      try {
        await api.chat.stream(
          botId,
          { message, ...(conversationId ? { conversationId } : {}) },
          {
            onStart: (info) => {
              if (info.messageId) update(answerKey, { messageId: info.messageId });
            },
            onToken: (text) => update(answerKey, (t) => ({ text: t.text + text })),
            onCitations: (citations) => update(answerKey, { citations }),
            onDone: (info) => {
              // The conversation exists once this answer is stored; the stored text is
              // what the transcript will show, so the playground ends on exactly that.
              if (info.conversationId) setConversationId(info.conversationId);
              update(answerKey, (t) => ({
                streaming: false,
                ...(info.answer !== undefined ? { text: info.answer } : {}),
                ...(info.messageId ? { messageId: info.messageId } : {}),
                ...(info.latencyMs !== undefined ? { latencyMs: info.latencyMs } : {}),
                ...(info.extractive !== undefined ? { extractive: info.extractive } : { extractive: t.extractive }),
                ...(info.curated !== undefined ? { curated: info.curated } : {}),
              }));
            },
            // A failed answer is not stored, so its partial text is not kept either.
            onError: (error) => update(answerKey, { streaming: false, error, text: "", citations: [] }),
          },
          abort.current.signal,
        );
      } catch (error) {
        if ((error as Error).name !== "AbortError") update(answerKey, { error: "The chat service could not be reached. Please try again." });
      } finally {
        update(answerKey, { streaming: false });
      }
    },
    [botId, conversationId],
  );

  const reset = useCallback(() => {
    abort.current?.abort();
    setTurns([]);
    setConversationId(undefined);
  }, []);

  const stop = useCallback(() => abort.current?.abort(), []);

  const setFeedback = useCallback((key: string, rating: 1 | -1) => update(key, { feedback: rating }), []);

  return { turns, busy, conversationId, ask, reset, stop, setFeedback };
}

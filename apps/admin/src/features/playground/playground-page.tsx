/** Ask the bot questions as a visitor would, see streamed answers with their sources, rate them. */
import { useMutation } from "@tanstack/react-query";
import { Bot as BotIcon, MessageSquarePlus, Send, Square, ThumbsDown, ThumbsUp, User } from "lucide-react";
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import type { Citation } from "../../api/types";
import { ms } from "../../lib/format";
import { Button } from "../../ui/button";
import { Alert, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";
import { useWorkspace } from "../../app/session";
import { CuratedBadge, CuratedDialog } from "../curated/curated-dialog";
import { CitationPanel } from "../chat/citation-panel";
import { MessageContent, PlainText } from "../chat/message-content";
import { type ChatTurn, useChat } from "./use-chat";
import "../chat/chat.css";

export function PlaygroundPage() {
  const { botId, data: bot } = useBot();
  const chat = useChat(botId);
  const [input, setInput] = useState("");
  const [selected, setSelected] = useState<Citation | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [chat.turns]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const q = input.trim();
    if (!q || chat.busy) return;
    setInput("");
    void chat.ask(q);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) submit(e as unknown as FormEvent);
  };
  const noDocs = bot && (bot.documentCount ?? 1) === 0;

  return (
    <div className="chat-layout">
      <Card
        padded={false}
        className="chat-window"
        title="Playground"
        actions={
          <Button
            size="sm"
            icon={<MessageSquarePlus aria-hidden="true" />}
            onClick={() => {
              chat.reset();
              setSelected(null);
              inputRef.current?.focus();
            }}
          >
            New conversation
          </Button>
        }
      >
        <div className="chat-log" ref={logRef} role="log" aria-live="polite" aria-label="Conversation">
          {noDocs && <Alert tone="warning">This bot has no processed documents yet, so it can only reply that it does not know.</Alert>}
          {chat.turns.length === 0 ? (
            <EmptyState icon={<BotIcon aria-hidden="true" />} title="Try your bot">
              Ask a question your customers would ask. Answers stream in with numbered citations; click one to see the exact passage.
            </EmptyState>
          ) : (
            chat.turns.map((turn, i) => (
              <Turn key={turn.key} botId={botId} turn={turn} question={chat.turns[i - 1]?.role === "user" ? chat.turns[i - 1]!.text : ""} onCitation={setSelected} onFeedback={chat.setFeedback} />
            ))
          )}
        </div>
        <form className="composer" onSubmit={submit}>
          <label htmlFor="playground-input" className="sr-only">
            Your question
          </label>
          <textarea
            id="playground-input"
            ref={inputRef}
            className="textarea"
            rows={1}
            placeholder="Ask a question… (Enter to send, Shift+Enter for a new line)"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={onKeyDown}
            maxLength={4000}
          />
          {chat.busy ? (
            <Button icon={<Square aria-hidden="true" />} onClick={chat.stop}>
              Stop
            </Button>
          ) : (
            <Button type="submit" variant="primary" icon={<Send aria-hidden="true" />} disabled={!input.trim()}>
              Send
            </Button>
          )}
        </form>
      </Card>
      <div>
        {selected ? (
          <CitationPanel citation={selected} onClose={() => setSelected(null)} />
        ) : (
          <Card title="Sources">
            <p className="muted small">Click a citation number in an answer to read the passage it came from, with its document and page.</p>
          </Card>
        )}
      </div>
    </div>
  );
}

function Turn({
  botId,
  turn,
  question,
  onCitation,
  onFeedback,
}: {
  botId: string;
  turn: ChatTurn;
  /** The question this answer answered (for "Correct this answer"). */
  question: string;
  onCitation(c: Citation): void;
  onFeedback(key: string, rating: 1 | -1): void;
}) {
  const notify = useToast();
  const { canManage } = useWorkspace();
  const [correcting, setCorrecting] = useState(false);
  const feedback = useMutation({
    mutationFn: (rating: 1 | -1) => api.chat.feedback(turn.messageId!, { rating }),
    onSuccess: (_r, rating) => {
      onFeedback(turn.key, rating);
      notify("Thanks, feedback saved", "success");
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  if (turn.role === "user") {
    return (
      <div className="bubble-row user" data-role="user">
        <span className="bubble-avatar" aria-hidden="true">
          <User />
        </span>
        <div className="bubble">
          <span className="sr-only">You: </span>
          <PlainText text={turn.text} />
        </div>
      </div>
    );
  }
  return (
    <div className="bubble-row assistant" data-role="assistant" aria-busy={turn.streaming || undefined}>
      <span className="bubble-avatar" aria-hidden="true">
        <BotIcon />
      </span>
      <div className="stack" style={{ gap: 0, maxWidth: "78%" }}>
        <div className="bubble" style={{ maxWidth: "100%" }}>
          <span className="sr-only">Assistant: </span>
          {turn.text ? (
            <MessageContent text={turn.text} citations={turn.citations} onCitation={onCitation} />
          ) : turn.streaming ? (
            <span className="typing-dots" aria-label="Thinking">
              <i />
              <i />
              <i />
            </span>
          ) : null}
          {turn.citations.length > 0 && (
            <div className="source-chips" aria-label="Sources">
              {turn.citations.map((c) => (
                <button key={`${c.index}-${c.chunkId ?? c.documentName}`} type="button" className="source-chip" onClick={() => onCitation(c)}>
                  <strong>{c.index}</strong>
                  <span>
                    {c.documentName}
                    {c.page ? ` · p. ${c.page}` : ""}
                  </span>
                </button>
              ))}
            </div>
          )}
        </div>
        {turn.error && <ErrorMessage error={new Error(turn.error)} />}
        {!turn.streaming && !turn.error && (
          <div className="bubble-meta">
            {turn.curated && <CuratedBadge question={turn.curated.question} />}
            {turn.extractive && <span title="No language model is configured; the answer was assembled from the sources' own sentences.">Extractive answer</span>}
            {turn.latencyMs !== undefined && <span>{ms(turn.latencyMs)}</span>}
            {turn.messageId && (
              <span className="row" style={{ gap: 2 }}>
                <button type="button" className="thumb" aria-label="Good answer" aria-pressed={turn.feedback === 1} onClick={() => feedback.mutate(1)} disabled={feedback.isPending}>
                  <ThumbsUp aria-hidden="true" />
                </button>
                <button type="button" className="thumb" aria-label="Bad answer" aria-pressed={turn.feedback === -1} onClick={() => feedback.mutate(-1)} disabled={feedback.isPending}>
                  <ThumbsDown aria-hidden="true" />
                </button>
              </span>
            )}
            {canManage && turn.messageId && question && !turn.curated && (
              <Button size="sm" variant="ghost" onClick={() => setCorrecting(true)}>
                Correct this answer
              </Button>
            )}
          </div>
        )}
        {correcting && <CuratedDialog botId={botId} open draft={{ question, answer: turn.text }} onClose={() => setCorrecting(false)} />}
      </div>
    </div>
  );
}

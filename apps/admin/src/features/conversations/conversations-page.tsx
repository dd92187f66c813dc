/** Conversations of a bot, filterable by channel, date and feedback, with full transcripts. */
import { useQuery } from "@tanstack/react-query";
import { MessagesSquare, ThumbsDown, ThumbsUp } from "lucide-react";
import { useState } from "react";
import { api } from "../../api/client";
import type { Channel, Citation, ConversationSummary, FeedbackFilter } from "../../api/types";
import { dateTime, ms, relativeTime } from "../../lib/format";
import { Badge, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { CuratedBadge, CuratedDialog, type CuratedDraft } from "../curated/curated-dialog";
import { Button } from "../../ui/button";
import { Field, Input, Select } from "../../ui/form";
import { Card } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useWorkspace } from "../../app/session";
import { AddToEvalSet } from "../evals/add-to-set";
import { useBot } from "../bots/use-bot";
import { CitationPanel } from "../chat/citation-panel";
import { MessageContent, PlainText } from "../chat/message-content";
import "../chat/chat.css";
import "./conversations.css";

const channelLabel: Record<Channel, string> = { widget: "Widget", api: "API", playground: "Playground" };

/** Downloads of the conversations started in the chosen days (the last 30 when none are chosen). */
function ExportLinks({ botId, from, to }: { botId: string; from: string; to: string }) {
  const today = new Date().toISOString().slice(0, 10);
  const range = { from: from || new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), to: to || today };
  return (
    <div className="row" style={{ alignSelf: "flex-end" }}>
      <a className="btn sm" href={api.chat.exportUrl(botId, "conversations", { ...range, format: "csv" })} download>
        Export CSV
      </a>
      <a className="btn sm" href={api.chat.exportUrl(botId, "conversations", { ...range, format: "json" })} download>
        Export JSON
      </a>
    </div>
  );
}

export function ConversationsPage() {
  const { botId } = useBot();
  const [channel, setChannel] = useState<Channel | "">("");
  const [feedback, setFeedback] = useState<FeedbackFilter>("");
  const [handoff, setHandoff] = useState<"" | "requested">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const filters = { channel, feedback, handoff, from: from ? new Date(`${from}T00:00:00`).toISOString() : "", to: to ? new Date(`${to}T23:59:59`).toISOString() : "" };
  const list = useQuery({ queryKey: ["conversations", botId, filters], queryFn: () => api.chat.conversations(botId, filters) });

  return (
    <div className="stack">
      <div className="filters row wrap" role="search" aria-label="Filter conversations">
        <Field label="Channel">
          <Select value={channel} onChange={(e) => setChannel(e.target.value as Channel | "")}>
            <option value="">All channels</option>
            <option value="widget">Widget</option>
            <option value="playground">Playground</option>
            <option value="api">API</option>
          </Select>
        </Field>
        <Field label="Feedback">
          <Select value={feedback} onChange={(e) => setFeedback(e.target.value as FeedbackFilter)}>
            <option value="">All conversations</option>
            <option value="positive">With thumbs up or 4-5 stars</option>
            <option value="negative">With thumbs down or 1-2 stars</option>
            <option value="any">With any feedback</option>
            <option value="none">Without feedback</option>
          </Select>
        </Field>
        <Field label="Handoff">
          <Select value={handoff} onChange={(e) => setHandoff(e.target.value as "" | "requested")}>
            <option value="">All conversations</option>
            <option value="requested">Asked for a person</option>
          </Select>
        </Field>
        <Field label="From">
          <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label="To">
          <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <ExportLinks botId={botId} from={from} to={to} />
      </div>
      <div className="conversations-layout">
        <Card padded={false} title="Conversations">
          <QueryState
            query={list}
            errorTitle="Could not load conversations"
            rows={5}
            empty={
              <EmptyState icon={<MessagesSquare aria-hidden="true" />} title="No conversations match">
                Conversations from the widget, the API and the playground appear here.
              </EmptyState>
            }
          >
            {(items) => (
              <ul className="conversation-list" aria-label="Conversations">
                {items.map((c) => (
                  <ConversationRow key={c.id} c={c} selected={c.id === selected} onSelect={() => setSelected(c.id)} />
                ))}
              </ul>
            )}
          </QueryState>
        </Card>
        {selected ? (
          <TranscriptView botId={botId} conversationId={selected} />
        ) : (
          <Card>
            <EmptyState title="Select a conversation">Its transcript, with sources and feedback, shows here.</EmptyState>
          </Card>
        )}
      </div>
    </div>
  );
}

function ConversationRow({ c, selected, onSelect }: { c: ConversationSummary; selected: boolean; onSelect(): void }) {
  return (
    <li>
      <button type="button" aria-current={selected ? "true" : undefined} onClick={onSelect}>
        <span className="row">
          <strong className="truncate" style={{ flex: 1 }}>
            {c.title || "Untitled conversation"}
          </strong>
          <span className="small subtle">{relativeTime(c.lastMessageAt)}</span>
        </span>
        <span className="row small muted">
          <Badge plain>{channelLabel[c.channel] ?? c.channel}</Badge>
          {c.handoffRequestedAt && <Badge tone="warning">Asked for a person</Badge>}
          {c.messageCount !== undefined && <span>{c.messageCount} messages</span>}
          {!!c.positiveFeedback && (
            <span className="row" style={{ gap: 3 }}>
              <ThumbsUp aria-label="Thumbs up" style={{ width: 13 }} /> {c.positiveFeedback}
            </span>
          )}
          {!!c.negativeFeedback && (
            <span className="row" style={{ gap: 3 }}>
              <ThumbsDown aria-label="Thumbs down" style={{ width: 13 }} /> {c.negativeFeedback}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}

/** Who asked, by channel: an admin testing in the playground is not a website visitor. */
export function askerLabel(channel: Channel | undefined): string {
  if (channel === "playground") return "Admin (playground)";
  if (channel === "api") return "API caller";
  return "Visitor";
}

function TranscriptView({ botId, conversationId }: { botId: string; conversationId: string }) {
  const { canManage } = useWorkspace();
  const transcript = useQuery({ queryKey: ["transcript", botId, conversationId], queryFn: () => api.chat.transcript(botId, conversationId) });
  const [citation, setCitation] = useState<Citation | null>(null);
  const [correcting, setCorrecting] = useState<CuratedDraft | null>(null);
  if (transcript.isPending) return <Card><Loading label="Loading transcript…" /></Card>;
  if (transcript.error) return <Card><ErrorMessage error={transcript.error} title="Could not load the transcript" /></Card>;
  const { conversation, messages } = transcript.data;
  return (
    <div className="stack">
      <Card padded={false} title={conversation?.title || "Transcript"} actions={<span className="small muted">{dateTime(conversation?.startedAt ?? conversation?.createdAt)}</span>}>
        <div className="chat-log transcript" aria-label="Transcript">
          {messages.length === 0 && <p className="muted">This conversation has no messages.</p>}
          {messages.map((m, i) => (
            <div key={m.id} className={`bubble-row ${m.role === "USER" ? "user" : "assistant"}`} data-role={m.role.toLowerCase()}>
              <div className="stack" style={{ gap: 0, maxWidth: "82%" }}>
                <div className="bubble" style={{ maxWidth: "100%" }}>
                  <span className="sr-only">{m.role === "USER" ? `${askerLabel(conversation?.channel)}: ` : "Assistant: "}</span>
                  {m.role === "USER" ? <PlainText text={m.content} /> : <MessageContent text={m.content} citations={m.citations ?? []} onCitation={setCitation} />}
                </div>
                <div className="bubble-meta">
                  {m.role === "USER" && <span data-testid="asker">{askerLabel(conversation?.channel)}</span>}
                  <span>{dateTime(m.createdAt)}</span>
                  {typeof m.metadata.latencyMs === "number" && <span>{ms(m.metadata.latencyMs)}</span>}
                  {m.metadata.extractive === true && <span>Extractive</span>}
                  {curatedOf(m.metadata) && <CuratedBadge question={curatedOf(m.metadata)!.question} />}
                  {typeof m.feedback?.stars === "number" && (
                    <Badge tone={m.feedback.stars <= 2 ? "danger" : "default"}>
                      <span aria-label={`${m.feedback.stars} of 5 stars`}>{"★".repeat(m.feedback.stars)}</span>
                    </Badge>
                  )}
                  {m.feedback?.rating === 1 && (
                    <Badge tone="success">
                      <ThumbsUp aria-hidden="true" style={{ width: 12 }} /> Helpful
                    </Badge>
                  )}
                  {m.feedback?.rating === -1 && (
                    <Badge tone="danger">
                      <ThumbsDown aria-hidden="true" style={{ width: 12 }} /> Not helpful
                    </Badge>
                  )}
                  {m.feedback?.comment && <span>“{m.feedback.comment}”</span>}
                </div>
                {canManage && m.role === "ASSISTANT" && m.feedback?.rating === -1 && <AddToEvalSet botId={botId} messageId={m.id} />}
                {canManage && m.role === "ASSISTANT" && !curatedOf(m.metadata) && i > 0 && messages[i - 1]!.role === "USER" && (
                  <div>
                    <Button size="sm" variant="ghost" onClick={() => setCorrecting({ question: messages[i - 1]!.content, answer: m.content })}>
                      Write a curated answer
                    </Button>
                  </div>
                )}
              </div>
            </div>
          ))}
        </div>
      </Card>
      {citation && <CitationPanel citation={citation} onClose={() => setCitation(null)} />}
      {correcting && <CuratedDialog botId={botId} open draft={correcting} onClose={() => setCorrecting(null)} />}
    </div>
  );
}

/** The curated answer a stored answer came from (its metadata's `curated`), if any. */
export function curatedOf(metadata: Record<string, unknown>): { id: string; question: string } | null {
  const c = metadata.curated as { id?: unknown; question?: unknown } | undefined;
  return c && typeof c.id === "string" && typeof c.question === "string" ? { id: c.id, question: c.question } : null;
}

/**
 * The unanswered-questions inbox: questions of a period that were refused, found no good
 * source or were rated down, grouped by similarity. Each group offers: add a curated
 * answer (its question prefilled; saving marks the group handled), add a document (the
 * documents page), or mark handled. Handled questions leave the inbox.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCheck, FilePlus2, Inbox as InboxIcon, MessageSquarePlus } from "lucide-react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import type { InboxGroup } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Badge, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Segmented } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";
import { CuratedDialog, type CuratedDraft } from "../curated/curated-dialog";

type Range = "7" | "30" | "90";

export const reasonLabel: Record<InboxGroup["reasons"][number], string> = {
  refused: "Refused",
  no_good_source: "No good source",
  rated_down: "Rated down",
};

export function InboxPage() {
  const { botId } = useBot();
  const { canManage } = useWorkspace();
  const [range, setRange] = useState<Range>("30");
  const [draft, setDraft] = useState<CuratedDraft | null>(null);
  const window = useMemo(() => {
    const to = new Date();
    const from = new Date(to.getTime() - (Number(range) - 1) * 86400_000);
    return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  }, [range]);
  const inbox = useQuery({ queryKey: ["inbox", botId, window], queryFn: () => api.curated.inbox(botId, window) });
  const queryClient = useQueryClient();
  const notify = useToast();
  const handled = useMutation({
    mutationFn: (group: InboxGroup) => api.curated.markHandled(botId, group.queryLogIds),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ["inbox", botId] });
      notify(`${r.handled} question${r.handled === 1 ? "" : "s"} marked handled`, "success");
    },
    onError: (e: Error) => notify(e.message, "error"),
  });

  return (
    <div className="stack lg">
      <div className="row">
        <div style={{ flex: 1 }}>
          <h2>Unanswered questions</h2>
          <p className="muted small">Questions the bot refused, found no good source for, or that visitors rated down, grouped when they ask the same thing.</p>
        </div>
        <Segmented<Range>
          label="Date range"
          value={range}
          onChange={setRange}
          options={[
            { value: "7", label: "7 days" },
            { value: "30", label: "30 days" },
            { value: "90", label: "90 days" },
          ]}
        />
      </div>
      {inbox.isPending ? (
        <Loading label="Loading the inbox…" />
      ) : inbox.error ? (
        <ErrorMessage error={inbox.error} title="Could not load the inbox" />
      ) : inbox.data.groups.length === 0 ? (
        <Card>
          <EmptyState icon={<InboxIcon aria-hidden="true" />} title="Nothing to handle">
            No open unanswered or down-rated questions in this period.
          </EmptyState>
        </Card>
      ) : (
        <Card padded={false} title={`${inbox.data.groups.length} groups · ${inbox.data.questions} questions${inbox.data.truncated ? " (the most recent)" : ""}`}>
          <ul className="inbox-groups" aria-label="Question groups">
            {inbox.data.groups.map((g) => (
              <li key={g.queryLogIds[0]} className="card-body" style={{ borderTop: "1px solid var(--border)" }}>
                <div className="row" style={{ alignItems: "flex-start" }}>
                  <div className="stack" style={{ flex: 1, gap: 4, minWidth: 0 }}>
                    <strong style={{ overflowWrap: "anywhere" }}>{g.examples[0]}</strong>
                    {g.examples.length > 1 && (
                      <ul className="small muted" style={{ margin: 0, paddingLeft: 18 }}>
                        {g.examples.slice(1).map((e) => (
                          <li key={e} style={{ overflowWrap: "anywhere" }}>{e}</li>
                        ))}
                      </ul>
                    )}
                    <div className="row small" style={{ gap: 6 }}>
                      <Badge tone="primary">{g.count}×</Badge>
                      {g.reasons.map((r) => (
                        <Badge key={r} tone={r === "rated_down" ? "danger" : "warning"}>
                          {reasonLabel[r]}
                        </Badge>
                      ))}
                      <span className="muted">last {relativeTime(g.lastSeenAt)}</span>
                    </div>
                  </div>
                  {canManage && (
                    <div className="row" style={{ gap: 4 }}>
                      <Button size="sm" icon={<MessageSquarePlus aria-hidden="true" />} onClick={() => setDraft({ question: g.examples[0] ?? "", answer: "", handlesQueryLogIds: g.queryLogIds })}>
                        Add curated answer
                      </Button>
                      <Link className="btn sm" to="../documents">
                        <FilePlus2 aria-hidden="true" /> Add document
                      </Link>
                      <Button size="sm" variant="ghost" icon={<CheckCheck aria-hidden="true" />} onClick={() => handled.mutate(g)} disabled={handled.isPending}>
                        Mark handled
                      </Button>
                    </div>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {draft && <CuratedDialog botId={botId} open draft={draft} onClose={() => setDraft(null)} />}
    </div>
  );
}

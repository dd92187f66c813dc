/**
 * A bot's curated answers: the similarity a question needs to get one (the bot's
 * `modelSettings.curatedThreshold`), and the list (search, pages) with add, edit,
 * enable/disable and delete.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BookmarkCheck, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { modelSettingsPatchSchema } from "@docent/contracts/bots";
import { DEFAULT_CURATED_THRESHOLD } from "@docent/contracts/json";
import { api } from "../../api/client";
import type { Bot, CuratedAnswer } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { number, relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Badge, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Field, Input } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { botKey, useBot } from "../bots/use-bot";
import { CuratedDialog } from "./curated-dialog";

const PAGE = 20;

/** The threshold field's problem, in the API's words (0-1), or undefined. */
export function thresholdError(value: string): string | undefined {
  if (value.trim() === "") return "Enter a number between 0 and 1";
  const parsed = modelSettingsPatchSchema.shape.curatedThreshold.safeParse(Number(value));
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

export function CuratedPage() {
  const { botId, ref, data: bot } = useBot();
  const { canManage } = useWorkspace();
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  const [dialog, setDialog] = useState<{ editing?: CuratedAnswer } | null>(null);
  const list = useQuery({
    queryKey: ["curated", botId, offset, search],
    queryFn: () => api.curated.list(botId, { limit: PAGE, offset, ...(search.trim() ? { search: search.trim() } : {}) }),
  });
  const queryClient = useQueryClient();
  const notify = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["curated", botId] });
  const toggle = useMutation({
    mutationFn: (c: CuratedAnswer) => api.curated.update(botId, c.id, { enabled: !c.enabled }),
    onSuccess: refresh,
    onError: (e: Error) => notify(e.message, "error"),
  });
  const remove = useMutation({
    mutationFn: (c: CuratedAnswer) => api.curated.remove(botId, c.id),
    onSuccess: async () => {
      await refresh();
      notify("Curated answer deleted", "success");
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  if (!bot) return <Loading />;
  return (
    <div className="stack lg">
      <div className="row">
        <div style={{ flex: 1 }}>
          <h2>Curated answers</h2>
          <p className="muted small">Answers you wrote. A question close enough to one of them gets it as written, on every channel, instead of a generated answer.</p>
        </div>
        {canManage && (
          <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setDialog({})}>
            Add curated answer
          </Button>
        )}
      </div>
      <ThresholdCard bot={bot} botRef={ref} canManage={canManage} />
      <Card padded={false} title="Answers" actions={<Input type="search" aria-label="Search curated answers" placeholder="Search…" value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0); }} />}>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorMessage error={list.error} title="Could not load the curated answers" />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon={<BookmarkCheck aria-hidden="true" />} title={search ? "No curated answer matches" : "No curated answers yet"}>
            Write one here, or from the inbox, a transcript or the playground.
          </EmptyState>
        ) : (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Answer</th>
                  <th scope="col">Hits</th>
                  <th scope="col">Last hit</th>
                  <th scope="col">Status</th>
                  {canManage && <th scope="col"><span className="sr-only">Actions</span></th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id}>
                    <td style={{ overflowWrap: "anywhere" }}>{c.question}</td>
                    <td style={{ overflowWrap: "anywhere" }} className="small">{c.answer.length > 160 ? `${c.answer.slice(0, 159)}…` : c.answer}</td>
                    <td>{number(c.hitCount)}</td>
                    <td className="muted">{c.lastHitAt ? relativeTime(c.lastHitAt) : "never"}</td>
                    <td>{c.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
                    {canManage && (
                      <td>
                        <div className="row" style={{ gap: 4, flexWrap: "nowrap" }}>
                          <Button size="sm" onClick={() => toggle.mutate(c)} disabled={toggle.isPending}>
                            {c.enabled ? "Disable" : "Enable"}
                          </Button>
                          <Button size="sm" variant="ghost" iconOnly aria-label={`Edit curated answer: ${c.question}`} icon={<Pencil aria-hidden="true" />} onClick={() => setDialog({ editing: c })} />
                          <Button
                            size="sm"
                            variant="ghost"
                            iconOnly
                            aria-label={`Delete curated answer: ${c.question}`}
                            icon={<Trash2 aria-hidden="true" />}
                            onClick={() => {
                              if (confirm(`Delete the curated answer to "${c.question}"?`)) remove.mutate(c);
                            }}
                          />
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row card-body" style={{ justifyContent: "space-between" }}>
              <span className="small muted">
                {offset + 1}–{offset + list.data.items.length} of {number(list.data.total)}
              </span>
              <div className="row" style={{ gap: 4 }}>
                <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Previous
                </Button>
                <Button size="sm" disabled={offset + PAGE >= list.data.total} onClick={() => setOffset(offset + PAGE)}>
                  Next
                </Button>
              </div>
            </div>
          </>
        )}
      </Card>
      {dialog && <CuratedDialog botId={botId} open onClose={() => setDialog(null)} {...(dialog.editing ? { editing: dialog.editing } : {})} />}
    </div>
  );
}

function ThresholdCard({ bot, botRef, canManage }: { bot: Bot; botRef: { workspaceId: string; botId: string }; canManage: boolean }) {
  const current = bot.modelSettings.curatedThreshold ?? DEFAULT_CURATED_THRESHOLD;
  const [value, setValue] = useState(String(current));
  const queryClient = useQueryClient();
  const notify = useToast();
  const error = thresholdError(value);
  const save = useMutation({
    mutationFn: () => api.bots.update(botRef, { modelSettings: { curatedThreshold: Number(value) } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: botKey(bot.id) });
      notify("Threshold saved", "success");
    },
  });
  return (
    <Card title="Matching">
      <form
        className="row"
        style={{ alignItems: "flex-end" }}
        onSubmit={(e) => {
          e.preventDefault();
          if (!error) save.mutate();
        }}
      >
        <Field
          label="Similarity threshold"
          hint="Cosine similarity (0-1) between a question and a curated answer's question. Higher is stricter; raise it (about 0.85) for semantic embedders."
          error={error}
        >
          <Input type="number" step="0.01" min={0} max={1} value={value} onChange={(e) => setValue(e.target.value)} disabled={!canManage} style={{ maxWidth: 120 }} />
        </Field>
        {canManage && (
          <Button type="submit" disabled={!!error || Number(value) === current} loading={save.isPending}>
            Save
          </Button>
        )}
      </form>
      <ErrorMessage error={save.error} />
    </Card>
  );
}

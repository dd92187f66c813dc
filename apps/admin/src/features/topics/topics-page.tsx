/**
 * A bot's conversation topics: the topics admins define (name, colour, description,
 * example questions), the similarity threshold, suggested topics from recent unassigned
 * questions (one click creates one) and each topic's questions per day.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Lightbulb, Plus, Save, Tags, Trash2 } from "lucide-react";
import { type FormEvent, useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Field, Input, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";

interface Draft {
  id: string | null;
  name: string;
  color: string;
  description: string;
  examples: string;
}

const emptyDraft: Draft = { id: null, name: "", color: "#2563eb", description: "", examples: "" };
const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const axis = { stroke: "var(--fg-subtle)", fontSize: 12, tickLine: false, axisLine: false } as const;

export function TopicsPage() {
  const { botId } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - 30 * 86_400_000).toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  }, []);
  const topics = useQuery({ queryKey: ["topics", botId], queryFn: () => api.topics.list(botId) });
  const suggestions = useQuery({ queryKey: ["topic-suggestions", botId], queryFn: () => api.topics.suggestions(botId, 30) });
  const stats = useQuery({ queryKey: ["topic-stats", botId, range], queryFn: () => api.topics.stats(botId, range) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [threshold, setThreshold] = useState<string | null>(null);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ["topics", botId] });
    await queryClient.invalidateQueries({ queryKey: ["topic-suggestions", botId] });
  };
  const save = useMutation({
    mutationFn: (d: Draft) => {
      const body = { name: d.name, color: d.color, description: d.description, examples: lines(d.examples) };
      return d.id ? api.topics.update(botId, d.id, body) : api.topics.create(botId, body);
    },
    onSuccess: async (r) => {
      setDraft(null);
      await refresh();
      notify(`Topic "${r.topic.name}" saved; topics of ${r.reassigned} recent questions recomputed`, "success");
    },
  });
  const remove = useMutation({
    mutationFn: (topicId: string) => api.topics.remove(botId, topicId),
    onSuccess: async () => {
      await refresh();
      notify("Topic deleted", "success");
    },
  });
  const saveThreshold = useMutation({
    mutationFn: (value: number) => api.topics.setThreshold(botId, value),
    onSuccess: async (r) => {
      setThreshold(null);
      await refresh();
      notify(`Threshold set to ${r.threshold}; topics of ${r.reassigned} recent questions recomputed`, "success");
    },
  });

  if (topics.isPending) return <Loading label="Loading topics…" />;
  if (topics.error) return <ErrorMessage error={topics.error} title="Could not load topics" />;
  const list = topics.data.items;
  const series = stats.data?.topics ?? [];
  const chartData = (series[0]?.daily ?? []).map((d, i) => ({
    date: d.date,
    ...Object.fromEntries(series.map((t) => [t.name, t.daily[i]?.messages ?? 0])),
  }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };

  return (
    <div className="stack lg">
      <div className="row">
        <h2 style={{ flex: 1 }}>Topics</h2>
        {canManage && (
          <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setDraft(emptyDraft)}>
            New topic
          </Button>
        )}
      </div>
      {(save.error ?? remove.error ?? saveThreshold.error) && <ErrorMessage error={save.error ?? remove.error ?? saveThreshold.error} title="Could not save" />}
      {draft && (
        <Card title={draft.id ? "Edit topic" : "New topic"}>
          <form className="stack" onSubmit={submit} aria-label="Topic">
            <Field label="Name">
              <Input value={draft.name} maxLength={80} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            </Field>
            <Field label="Colour">
              <Input type="color" value={draft.color} onChange={(e) => setDraft({ ...draft, color: e.target.value })} />
            </Field>
            <Field label="Description">
              <Textarea value={draft.description} rows={2} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
            </Field>
            <Field label="Example questions" hint="One per line, at most 20">
              <Textarea value={draft.examples} rows={4} onChange={(e) => setDraft({ ...draft, examples: e.target.value })} />
            </Field>
            <div className="row">
              <Button type="submit" variant="primary" icon={<Save aria-hidden="true" />} loading={save.isPending}>
                Save topic
              </Button>
              <Button type="button" variant="ghost" onClick={() => setDraft(null)}>
                Cancel
              </Button>
            </div>
          </form>
        </Card>
      )}
      <Card title="Topics" padded={false}>
        {list.length === 0 ? (
          <EmptyState icon={<Tags aria-hidden="true" />} title="No topics yet">
            Define topics, or create one from a suggestion below, to see what people ask about.
          </EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Description</th>
                <th scope="col">Examples</th>
                {canManage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id}>
                  <td>
                    <span aria-hidden="true" style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: t.color, marginRight: 8 }} />
                    {t.name}
                  </td>
                  <td className="muted">{t.description}</td>
                  <td>{t.examples.length}</td>
                  {canManage && (
                    <td className="row">
                      <Button size="sm" onClick={() => setDraft({ id: t.id, name: t.name, color: t.color, description: t.description, examples: t.examples.join("\n") })}>
                        Edit
                      </Button>
                      <Button size="sm" variant="danger" iconOnly aria-label={`Delete ${t.name}`} icon={<Trash2 aria-hidden="true" />} onClick={() => remove.mutate(t.id)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {canManage && (
        <Card title="Assignment threshold">
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (threshold !== null) saveThreshold.mutate(Number(threshold));
            }}
          >
            <Field label="Least similarity (0 to 1) for a question to get a topic">
              <Input type="number" min={0} max={1} step={0.05} value={threshold ?? String(topics.data.threshold)} onChange={(e) => setThreshold(e.target.value)} />
            </Field>
            <Button type="submit" disabled={threshold === null} loading={saveThreshold.isPending}>
              Save threshold
            </Button>
          </form>
        </Card>
      )}
      <Card title="Suggested topics" padded={false}>
        {suggestions.isPending ? (
          <Loading label="Clustering recent questions…" />
        ) : suggestions.error ? (
          <ErrorMessage error={suggestions.error} title="Could not load suggestions" />
        ) : suggestions.data.suggestions.length === 0 ? (
          <EmptyState icon={<Lightbulb aria-hidden="true" />} title="No suggestions">
            {suggestions.data.considered} recent questions without a topic; none form a group yet.
          </EmptyState>
        ) : (
          <ul className="stack" style={{ listStyle: "none", padding: 16, margin: 0 }} aria-label="Suggested topics">
            {suggestions.data.suggestions.map((s) => (
              <li key={s.proposal.name} className="stack" style={{ gap: 4 }}>
                <div className="row">
                  <strong style={{ flex: 1 }}>
                    {s.terms.join(", ")} <span className="muted small">({s.size} questions)</span>
                  </strong>
                  {canManage && (
                    <Button size="sm" icon={<Plus aria-hidden="true" />} loading={save.isPending} onClick={() => save.mutate({ id: null, ...s.proposal, examples: s.proposal.examples.join("\n") })}>
                      Create topic
                    </Button>
                  )}
                </div>
                <span className="muted small">{s.examples.join(" · ")}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Questions per topic (last 30 days)">
        {series.every((t) => t.daily.every((d) => d.messages === 0)) ? (
          <p className="muted small">The daily aggregation fills this in after each UTC day.</p>
        ) : (
          <div className="chart" role="img" aria-label="Questions per topic per day">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={chartData} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
                <CartesianGrid stroke="var(--border)" vertical={false} />
                <XAxis dataKey="date" {...axis} minTickGap={24} />
                <YAxis allowDecimals={false} {...axis} />
                <Tooltip />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {series.map((t) => (
                  <Line key={t.topicId} type="monotone" dataKey={t.name} stroke={t.color} strokeWidth={2} dot={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </Card>
    </div>
  );
}

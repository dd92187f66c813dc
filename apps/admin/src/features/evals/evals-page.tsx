/**
 * Evaluation sets of a bot: questions with where their answers are (typed, imported,
 * generated), runs scoring each retrieval setting (recall@k, MRR, nDCG@10), the history
 * as a chart, the questions a setting missed (expected vs. what came back), and "apply the
 * best setting" to the bot's retrieval settings.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FlaskConical, Play, Sparkles, Trash2, Upload } from "lucide-react";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../../api/client";
import type { BotDocument, EvalRun, EvalSetDetail, RetrievalMode } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, Badge, EmptyState, ErrorMessage, Loading, ProgressBar } from "../../ui/feedback";
import { Checkbox, Field, Input, Select, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { botKey, useBot } from "../bots/use-bot";
import "./evals.css";

const f3 = (x: number) => x.toFixed(3);
const active = (run: EvalRun | null | undefined) => run?.status === "QUEUED" || run?.status === "RUNNING";

/** The chart's series: nDCG@10 of each setting label over the set's finished runs, oldest first. */
export function historySeries(runs: EvalRun[]) {
  const done = runs.filter((r) => r.status === "SUCCEEDED" && r.results).reverse();
  const labels = [...new Set(done.flatMap((r) => r.results!.map((x) => x.label)))];
  const points = done.map((r) => ({
    at: new Date(r.finishedAt ?? r.createdAt).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
    ...Object.fromEntries(r.results!.map((x) => [x.label, Number(x.metrics.ndcg10.toFixed(4))])),
  }));
  return { labels, points };
}

export function EvalsPage() {
  const { botId } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const sets = useQuery({ queryKey: ["eval-sets", botId], queryFn: () => api.evals.sets(botId) });
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState("");
  useEffect(() => {
    if (!selected && sets.data?.[0]) setSelected(sets.data[0].id);
  }, [sets.data, selected]);
  const create = useMutation({
    mutationFn: () => api.evals.create(botId, { name: name.trim() }),
    onSuccess: async (set) => {
      setName("");
      await queryClient.invalidateQueries({ queryKey: ["eval-sets", botId] });
      setSelected(set.id);
    },
  });
  if (sets.isPending) return <Loading />;
  if (sets.error) return <ErrorMessage error={sets.error} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <div className="evals-layout">
      <Card title="Evaluation sets">
        <div className="stack">
          {sets.data.length === 0 && <p className="small muted">Questions with the document that answers each: measure retrieval, compare settings, catch regressions.</p>}
          <ul className="eval-set-list" aria-label="Evaluation sets">
            {sets.data.map((s) => (
              <li key={s.id}>
                <button type="button" className={s.id === selected ? "active" : ""} onClick={() => setSelected(s.id)}>
                  <strong className="truncate">{s.name}</strong>
                  <span className="small muted">
                    {s.questionCount} question{s.questionCount === 1 ? "" : "s"}{s.syntheticCount ? ` (${s.syntheticCount} synthetic)` : ""}
                    {s.latestRun?.results ? ` · nDCG@10 ${f3(Math.max(...s.latestRun.results.map((r) => r.metrics.ndcg10)))}` : ""}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {canManage && (
            <form className="row" onSubmit={submit}>
              <Input aria-label="New set name" placeholder="New set name" value={name} onChange={(e) => setName(e.target.value)} />
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                Create
              </Button>
            </form>
          )}
          <ErrorMessage error={create.error} />
        </div>
      </Card>
      {selected ? <SetView key={selected} setId={selected} onDeleted={() => setSelected(null)} /> : <EmptyState icon={<FlaskConical />} title="No evaluation set yet">Create one, then add, import or generate questions.</EmptyState>}
    </div>
  );
}

function SetView({ setId, onDeleted }: { setId: string; onDeleted: () => void }) {
  const { botId, ref } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const detail = useQuery({
    queryKey: ["eval-set", botId, setId],
    queryFn: () => api.evals.get(botId, setId),
    refetchInterval: (q) => (active(q.state.data?.runs[0]) ? 1000 : false),
  });
  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: ["eval-set", botId, setId] }), queryClient.invalidateQueries({ queryKey: ["eval-sets", botId] })]);
  const [modes, setModes] = useState<Record<RetrievalMode, boolean>>({ vector: true, keyword: true, hybrid: true });
  const [rerank, setRerank] = useState(false);
  const run = useMutation({
    mutationFn: (bot: { fusionWeights: { vector: number; keyword: number } }) =>
      api.evals.run(
        botId,
        setId,
        (Object.keys(modes) as RetrievalMode[])
          .filter((m) => modes[m])
          .map((mode) => ({ mode, ...(mode === "hybrid" ? { fusionWeights: bot.fusionWeights } : {}), ...(rerank ? { rerank: true } : {}) })),
      ),
    onSuccess: refresh,
  });
  const generate = useMutation({ mutationFn: (withModel: boolean) => api.evals.generate(botId, setId, 25, withModel), onSuccess: async (r) => { await refresh(); notify(`${r.generated} synthetic questions added`, "success"); } });
  const remove = useMutation({ mutationFn: () => api.evals.remove(botId, setId), onSuccess: async () => { onDeleted(); await refresh(); } });
  const bot = useQuery({ queryKey: botKey(botId), queryFn: () => api.bots.get(ref) });
  const apply = useMutation({
    mutationFn: (patch: NonNullable<EvalRun["best"]>["ragConfigPatch"]) => api.bots.update(ref, { ragConfig: patch }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: botKey(botId) });
      notify("Best setting applied to the bot's retrieval settings", "success");
    },
  });
  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorMessage error={detail.error} />;
  const set = detail.data;
  const latest = set.runs[0];
  const lastDone = set.runs.find((r) => r.status === "SUCCEEDED");
  return (
    <div className="stack lg">
      <Card
        title={set.name}
        actions={
          canManage && (
            <div className="row wrap">
              <Button icon={<Sparkles aria-hidden="true" />} loading={generate.isPending && !generate.variables} onClick={() => generate.mutate(false)}>
                Generate 25
              </Button>
              <Button loading={generate.isPending && generate.variables} onClick={() => generate.mutate(true)}>
                Generate 25 with the model
              </Button>
              <Button iconOnly aria-label="Delete set" icon={<Trash2 aria-hidden="true" />} loading={remove.isPending} onClick={() => confirm(`Delete "${set.name}" and its runs?`) && remove.mutate()} />
            </div>
          )
        }
      >
        <div className="stack">
          <p className="small muted">
            {set.questionCount} question{set.questionCount === 1 ? "" : "s"}. Generated questions are synthetic: formed offline from headings and key sentences they share words with their passage and flatter keyword search; written by the workspace's model they read more like real questions.
          </p>
          {canManage && (
            <div className="row wrap">
              {(["vector", "keyword", "hybrid"] as const).map((m) => (
                <Checkbox key={m} label={m} checked={modes[m]} onChange={(e) => setModes({ ...modes, [m]: e.target.checked })} />
              ))}
              <Checkbox label="with reranker" checked={rerank} onChange={(e) => setRerank(e.target.checked)} />
              <span className="spacer" />
              <Button
                variant="primary"
                icon={<Play aria-hidden="true" />}
                loading={run.isPending}
                disabled={active(latest) || !Object.values(modes).some(Boolean) || !bot.data}
                onClick={() => bot.data && run.mutate(bot.data.ragConfig)}
              >
                Run
              </Button>
            </div>
          )}
          <ErrorMessage error={run.error ?? generate.error ?? remove.error} />
          {latest && active(latest) && <ProgressBar label="Run progress" value={latest.totalSteps ? latest.progress / latest.totalSteps : 0} indeterminate={latest.status === "QUEUED"} />}
          {latest?.status === "FAILED" && (
            <Alert tone="error" title="The last run failed">
              {latest.error} {lastDone ? "The results below are from the last run that succeeded." : ""}
            </Alert>
          )}
        </div>
      </Card>
      {lastDone?.results && (
        <Card title="Results" actions={<span className="small muted">{new Date(lastDone.finishedAt ?? lastDone.createdAt).toLocaleString()}</span>}>
          <div className="stack">
            <table className="table" aria-label="Run results">
              <thead>
                <tr>
                  <th>setting</th>
                  <th>recall@1</th>
                  <th>recall@5</th>
                  <th>recall@10</th>
                  <th>MRR</th>
                  <th>nDCG@10</th>
                </tr>
              </thead>
              <tbody>
                {lastDone.results.map((r, i) => (
                  <tr key={r.label}>
                    <td>
                      {r.label} {lastDone.best?.index === i && <Badge tone="success">best</Badge>}
                      {r.rerankFailures > 0 && <Badge tone="warning">{r.rerankFailures} rerank failures</Badge>}
                    </td>
                    <td>{f3(r.metrics.recall["1"])}</td>
                    <td>{f3(r.metrics.recall["5"])}</td>
                    <td>{f3(r.metrics.recall["10"])}</td>
                    <td>{f3(r.metrics.mrr)}</td>
                    <td>{f3(r.metrics.ndcg10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {canManage && lastDone.best && (
              <div className="row">
                <Button onClick={() => apply.mutate(lastDone.best!.ragConfigPatch)} loading={apply.isPending}>
                  Apply the best setting ({lastDone.best.label})
                </Button>
                <ErrorMessage error={apply.error} />
              </div>
            )}
            <History runs={set.runs} />
            <Misses run={lastDone} />
          </div>
        </Card>
      )}
      <Questions set={set} onChanged={refresh} />
    </div>
  );
}

function History({ runs }: { runs: EvalRun[] }) {
  const { labels, points } = useMemo(() => historySeries(runs), [runs]);
  if (points.length < 2) return null;
  return (
    <div className="chart" role="img" aria-label="nDCG@10 of each setting over the runs">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="at" stroke="var(--fg-subtle)" fontSize={12} />
          <YAxis domain={[0, 1]} stroke="var(--fg-subtle)" fontSize={12} />
          <Tooltip />
          <Legend />
          {labels.map((label, i) => (
            <Line key={label} type="monotone" dataKey={label} stroke={`var(--chart-${(i % 4) + 1})`} strokeWidth={2} dot />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function Misses({ run }: { run: EvalRun }) {
  const { botId } = useBot();
  const [config, setConfig] = useState(run.best?.index ?? 0);
  const misses = useQuery({ queryKey: ["eval-misses", run.id, config], queryFn: () => api.evals.misses(botId, run.id, config) });
  return (
    <div className="stack">
      <div className="row">
        <h3 style={{ fontSize: 14 }}>Missed questions</h3>
        <Select aria-label="Setting" value={config} onChange={(e) => setConfig(Number(e.target.value))}>
          {run.results!.map((r, i) => (
            <option key={r.label} value={i}>
              {r.label}
            </option>
          ))}
        </Select>
      </div>
      {misses.isPending ? (
        <Loading />
      ) : misses.data?.length === 0 ? (
        <p className="small muted">Every question found a relevant passage in the top 10.</p>
      ) : (
        <ul className="eval-misses" aria-label="Missed questions">
          {misses.data?.map((m) => (
            <li key={m.id}>
              <strong>{m.question}</strong> {m.kind === "unjudged" && <Badge tone="warning">expected passage not found in the documents</Badge>}
              <div className="small muted">Expected: {m.expected.map((e) => (e.text ? `"${e.text.slice(0, 120)}"` : e.chunkId ? `chunk ${e.chunkId.slice(0, 8)}` : "any passage")).join("; ")}</div>
              {m.retrieved.length > 0 && (
                <ol className="small">
                  {m.retrieved.map((h) => (
                    <li key={h.chunkId}>
                      {h.documentName} ({f3(h.score)}): {h.snippet.slice(0, 140)}…
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Questions({ set, onChanged }: { set: EvalSetDetail; onChanged: () => Promise<unknown> }) {
  const { botId, workspaceId } = useBot();
  const { canManage } = useWorkspace();
  const documents = useQuery({ queryKey: ["documents", workspaceId, botId], queryFn: () => api.documents.list(botId) });
  const [question, setQuestion] = useState("");
  const [documentId, setDocumentId] = useState("");
  const [passage, setPassage] = useState("");
  const [content, setContent] = useState("");
  const [format, setFormat] = useState<"csv" | "json">("csv");
  const names = new Map((documents.data ?? []).map((d: BotDocument) => [d.id, d.name]));
  const add = useMutation({
    mutationFn: () => api.evals.addQuestion(botId, set.id, { question, expected: [{ documentId, ...(passage.trim() ? { text: passage.trim() } : {}) }] }),
    onSuccess: async () => {
      setQuestion("");
      setPassage("");
      await onChanged();
    },
  });
  const importing = useMutation({ mutationFn: () => api.evals.import(botId, set.id, { format, content }), onSuccess: async () => { setContent(""); await onChanged(); } });
  const removeQuestion = useMutation({ mutationFn: (id: string) => api.evals.removeQuestion(botId, set.id, id), onSuccess: onChanged });
  return (
    <Card title={`Questions (${set.questionCount})`}>
      <div className="stack">
        {canManage && (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (question.trim() && documentId) add.mutate();
            }}
          >
            <Field label="Question">
              <Input value={question} onChange={(e) => setQuestion(e.target.value)} placeholder="How do I reset the router?" />
            </Field>
            <div className="grid-2">
              <Field label="Document with the answer">
                <Select value={documentId} onChange={(e) => setDocumentId(e.target.value)}>
                  <option value="">Choose a document</option>
                  {(documents.data ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Passage (optional)" hint="Text the right chunk holds; without it, any chunk of the document counts.">
                <Input value={passage} onChange={(e) => setPassage(e.target.value)} />
              </Field>
            </div>
            <div className="row">
              <Button type="submit" loading={add.isPending} disabled={!question.trim() || !documentId}>
                Add question
              </Button>
            </div>
            <ErrorMessage error={add.error} />
          </form>
        )}
        {canManage && (
          <details>
            <summary>Import CSV or JSON</summary>
            <div className="stack" style={{ marginTop: 8 }}>
              <p className="small muted">
                CSV: a header row with <code>question</code>, <code>document</code> (name) or <code>document_id</code>, optional <code>passage</code>. JSON: <code>[{"{"}"question", "expected": [{"{"}"documentId" or "document", "text"{"}"}]{"}"}]</code>.
              </p>
              <Select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value as "csv" | "json")}>
                <option value="csv">CSV</option>
                <option value="json">JSON</option>
              </Select>
              <Input type="file" accept=".csv,.json,text/csv,application/json" aria-label="File to import" onChange={async (e) => setContent((await e.target.files?.[0]?.text()) ?? "")} />
              <Textarea code rows={5} aria-label="Import content" value={content} onChange={(e) => setContent(e.target.value)} />
              <div className="row">
                <Button icon={<Upload aria-hidden="true" />} loading={importing.isPending} disabled={!content.trim()} onClick={() => importing.mutate()}>
                  Import
                </Button>
                {importing.data && <span className="small muted">{importing.data.imported} imported</span>}
              </div>
              <ErrorMessage error={importing.error} />
            </div>
          </details>
        )}
        <ul className="eval-questions" aria-label="Questions">
          {set.questions.map((q) => (
            <li key={q.id} className="row">
              <div className="stack" style={{ gap: 2, flex: 1, minWidth: 0 }}>
                <span>{q.question}</span>
                <span className="small muted truncate">
                  {q.expected.map((e) => names.get(e.documentId) ?? e.documentId.slice(0, 8)).join(", ")}
                  {q.expected[0]?.text ? ` · "${q.expected[0].text.slice(0, 80)}"` : ""}
                </span>
              </div>
              {q.synthetic && <Badge>synthetic</Badge>}
              {q.source === "CONVERSATION" && <Badge tone="warning">from feedback</Badge>}
              {canManage && <Button size="sm" iconOnly aria-label={`Delete question ${q.question}`} icon={<Trash2 aria-hidden="true" />} onClick={() => removeQuestion.mutate(q.id)} />}
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}

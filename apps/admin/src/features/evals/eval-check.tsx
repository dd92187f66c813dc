/**
 * Before saving new retrieval settings: run an evaluation set with the saved setting and
 * the proposed one side by side, and warn when the proposal scores lower on a metric.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { FlaskConical } from "lucide-react";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { EvalMetrics, EvalRun, EvalRunConfig, RagConfig } from "../../api/types";
import { Button } from "../../ui/button";
import { Alert, ErrorMessage, ProgressBar } from "../../ui/feedback";
import { Select } from "../../ui/form";

const METRICS: { key: string; label: string; of: (m: EvalMetrics) => number }[] = [
  { key: "recall1", label: "recall@1", of: (m) => m.recall["1"] },
  { key: "recall5", label: "recall@5", of: (m) => m.recall["5"] },
  { key: "recall10", label: "recall@10", of: (m) => m.recall["10"] },
  { key: "mrr", label: "MRR", of: (m) => m.mrr },
  { key: "ndcg10", label: "nDCG@10", of: (m) => m.ndcg10 },
];

/** Less than this is noise on a few hundred questions; more is a drop worth a warning. */
export const DROP_TOLERANCE = 0.005;

export function configOf(c: RagConfig): EvalRunConfig {
  return { mode: c.retrievalMode, ...(c.retrievalMode === "hybrid" ? { fusionWeights: c.fusionWeights } : {}), rerank: c.rerank?.enabled ?? false };
}

/** The metrics on which `proposed` scores lower than `current` by more than the tolerance. */
export function drops(current: EvalMetrics, proposed: EvalMetrics) {
  return METRICS.filter((m) => m.of(proposed) < m.of(current) - DROP_TOLERANCE).map((m) => ({ label: m.label, from: m.of(current), to: m.of(proposed) }));
}

export function EvalCheck({ botId, saved, proposed }: { botId: string; saved: RagConfig; proposed: RagConfig }) {
  const sets = useQuery({ queryKey: ["eval-sets", botId], queryFn: () => api.evals.sets(botId) });
  const [setId, setSetId] = useState("");
  const [runId, setRunId] = useState<string | null>(null);
  useEffect(() => {
    if (!setId && sets.data?.[0]) setSetId(sets.data[0].id);
  }, [sets.data, setId]);
  const start = useMutation({
    mutationFn: () => api.evals.run(botId, setId, [configOf(saved), configOf(proposed)]),
    onSuccess: (run) => setRunId(run.id),
  });
  const run = useQuery({
    queryKey: ["eval-run", runId],
    queryFn: () => api.evals.getRun(botId, runId!),
    enabled: !!runId,
    refetchInterval: (q) => (q.state.data?.status === "SUCCEEDED" || q.state.data?.status === "FAILED" ? false : 1000),
  });
  if (!sets.data || sets.data.length === 0) return null;
  const r: EvalRun | undefined = run.data;
  const [before, after] = r?.results ?? [];
  const dropped = before && after ? drops(before.metrics, after.metrics) : [];
  return (
    <div className="stack">
      <div className="row wrap">
        <Select aria-label="Evaluation set" value={setId} onChange={(e) => setSetId(e.target.value)}>
          {sets.data.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.questionCount})
            </option>
          ))}
        </Select>
        <Button icon={<FlaskConical aria-hidden="true" />} loading={start.isPending || (!!r && (r.status === "QUEUED" || r.status === "RUNNING"))} onClick={() => start.mutate()}>
          Check the change on this set first
        </Button>
      </div>
      <ErrorMessage error={start.error ?? run.error} />
      {r && (r.status === "QUEUED" || r.status === "RUNNING") && <ProgressBar label="Evaluation progress" value={r.totalSteps ? r.progress / r.totalSteps : 0} indeterminate={r.status === "QUEUED"} />}
      {r?.status === "FAILED" && <Alert tone="error">{r.error}</Alert>}
      {before && after && (
        <>
          <table className="table" aria-label="Saved and proposed settings compared">
            <thead>
              <tr>
                <th>metric</th>
                <th>saved ({before.label})</th>
                <th>proposed ({after.label})</th>
              </tr>
            </thead>
            <tbody>
              {METRICS.map((m) => (
                <tr key={m.key}>
                  <td>{m.label}</td>
                  <td>{m.of(before.metrics).toFixed(3)}</td>
                  <td>{m.of(after.metrics).toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {dropped.length > 0 ? (
            <Alert tone="warning" title="The proposed settings score lower">
              {dropped.map((d) => `${d.label} ${d.from.toFixed(3)} → ${d.to.toFixed(3)}`).join(", ")}. Save anyway only if you expect that.
            </Alert>
          ) : (
            <Alert tone="success">No metric drops on this set.</Alert>
          )}
        </>
      )}
    </div>
  );
}

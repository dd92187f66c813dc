import { describe, expect, it } from "vitest";
import type { EvalRun } from "../../api/types";
import { configOf, drops } from "./eval-check";
import { historySeries } from "./evals-page";

const metrics = (ndcg10: number, mrr = 0.5) => ({ recall: { "1": 0.5, "3": 0.6, "5": 0.7, "10": 0.8 }, mrr, ndcg10 });
const run = (id: string, status: EvalRun["status"], at: string, ndcg: Record<string, number>): EvalRun => ({
  id,
  setId: "s",
  botId: "b",
  status,
  configs: [],
  results: status === "SUCCEEDED" ? Object.entries(ndcg).map(([label, v]) => ({ label, config: { mode: "keyword" }, metrics: metrics(v), judged: 1, unjudged: 0, rerankFailures: 0, ms: 1 })) : null,
  questionCount: 1,
  progress: 0,
  totalSteps: 1,
  error: null,
  createdBy: null,
  createdAt: at,
  startedAt: at,
  finishedAt: at,
  best: null,
});

describe("evaluation screens", () => {
  it("charts each setting's nDCG@10 over finished runs, oldest first, skipping failed ones", () => {
    const { labels, points } = historySeries([
      run("3", "SUCCEEDED", "2026-12-03T10:00:00Z", { keyword: 0.9, hybrid: 0.8 }),
      run("2", "FAILED", "2026-12-02T10:00:00Z", {}),
      run("1", "SUCCEEDED", "2026-12-01T10:00:00Z", { keyword: 0.7 }),
    ]);
    expect(labels).toEqual(["keyword", "hybrid"]);
    expect(points.map((p) => (p as Record<string, unknown>).keyword)).toEqual([0.7, 0.9]);
  });

  it("warns on the metrics a proposed setting lowers beyond the tolerance", () => {
    expect(drops(metrics(0.8, 0.7), metrics(0.7, 0.698))).toEqual([{ label: "nDCG@10", from: 0.8, to: 0.7 }]);
    expect(drops(metrics(0.8), metrics(0.81))).toEqual([]);
  });

  it("turns rag settings into the setting a run scores", () => {
    const base = { chunkSize: 400, chunkOverlap: 60, topK: 5, minScore: 0, fusionWeights: { vector: 0.01, keyword: 1 }, rerank: { enabled: true, topN: 20 }, context: { neighbours: 0, sameSection: false, maxTokens: 1500 } };
    expect(configOf({ ...base, retrievalMode: "hybrid" })).toEqual({ mode: "hybrid", fusionWeights: { vector: 0.01, keyword: 1 }, rerank: true });
    expect(configOf({ ...base, retrievalMode: "keyword" })).toEqual({ mode: "keyword", rerank: true });
  });
});

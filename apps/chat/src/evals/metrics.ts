/**
 * Retrieval metrics, as `pnpm eval:retrieval` computes them (so the product's figures and
 * the benchmark's can be compared): recall@k is the share of questions with a relevant
 * chunk in the top k, MRR the mean reciprocal rank of the first relevant chunk, nDCG@10
 * with binary relevance; every metric is cut at 10.
 */
import type { EvalMetrics, EvalRunConfig } from "@docent/contracts/json";

export const CUTOFF = 10;

export interface QuestionScore {
  /** 0-based rank of the first relevant chunk in the top 10, -1 when none is there. */
  first: number;
  ndcg: number;
}

export function scoreQuestion(ranked: string[], relevant: Set<string>): QuestionScore {
  const top = ranked.slice(0, CUTOFF);
  const first = top.findIndex((id) => relevant.has(id));
  let dcg = 0;
  top.forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(relevant.size, CUTOFF); i++) idcg += 1 / Math.log2(i + 2);
  return { first, ndcg: idcg > 0 ? dcg / idcg : 0 };
}

export function aggregate(scores: QuestionScore[]): EvalMetrics {
  const n = Math.max(scores.length, 1);
  const within = (k: number) => scores.filter((s) => s.first >= 0 && s.first < k).length / n;
  return {
    recall: { "1": within(1), "3": within(3), "5": within(5), "10": within(10) },
    mrr: scores.reduce((sum, s) => sum + (s.first >= 0 ? 1 / (s.first + 1) : 0), 0) / n,
    ndcg10: scores.reduce((sum, s) => sum + s.ndcg, 0) / n,
  };
}

export function configLabel(c: EvalRunConfig): string {
  const weights = c.mode === "hybrid" && c.fusionWeights ? ` ${c.fusionWeights.vector}/${c.fusionWeights.keyword}` : "";
  const rerank = c.rerank === undefined ? "" : c.rerank ? " +rerank" : " -rerank";
  return `${c.mode}${weights}${rerank}`;
}

/** The best setting: highest nDCG@10, then MRR, then recall@10; ties keep the first asked. */
export function bestIndex(results: { metrics: EvalMetrics }[]): number {
  let best = 0;
  results.forEach((r, i) => {
    const b = results[best]!.metrics;
    const m = r.metrics;
    if (m.ndcg10 > b.ndcg10 + 1e-12 || (Math.abs(m.ndcg10 - b.ndcg10) <= 1e-12 && (m.mrr > b.mrr + 1e-12 || (Math.abs(m.mrr - b.mrr) <= 1e-12 && m.recall["10"] > b.recall["10"] + 1e-12)))) {
      best = i;
    }
  });
  return best;
}

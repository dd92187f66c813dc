import { describe, expect, it } from "vitest";
import { aggregate, bestIndex, configLabel, scoreQuestion } from "./metrics";

describe("retrieval metrics", () => {
  it("scores the first relevant rank and nDCG@10 with binary relevance", () => {
    expect(scoreQuestion(["a", "b", "c"], new Set(["a"]))).toEqual({ first: 0, ndcg: 1 });
    const second = scoreQuestion(["x", "b"], new Set(["b"]));
    expect(second.first).toBe(1);
    expect(second.ndcg).toBeCloseTo(1 / Math.log2(3));
    expect(scoreQuestion(["x", "y"], new Set(["z"]))).toEqual({ first: -1, ndcg: 0 });
    // Beyond 10 does not count.
    expect(scoreQuestion([...Array.from({ length: 10 }, (_, i) => `n${i}`), "z"], new Set(["z"])).first).toBe(-1);
  });

  it("aggregates recall@k, MRR and nDCG@10 over questions", () => {
    const m = aggregate([
      { first: 0, ndcg: 1 },
      { first: 3, ndcg: 0.5 },
      { first: -1, ndcg: 0 },
      { first: 7, ndcg: 0.3 },
    ]);
    expect(m.recall).toEqual({ "1": 0.25, "3": 0.25, "5": 0.5, "10": 0.75 });
    expect(m.mrr).toBeCloseTo((1 + 1 / 4 + 1 / 8) / 4);
    expect(m.ndcg10).toBeCloseTo(1.8 / 4);
  });

  it("labels settings and picks the best by nDCG@10, then MRR", () => {
    expect(configLabel({ mode: "hybrid", fusionWeights: { vector: 0.01, keyword: 1 } })).toBe("hybrid 0.01/1");
    expect(configLabel({ mode: "keyword", rerank: true })).toBe("keyword +rerank");
    const r = (ndcg10: number, mrr: number) => ({ metrics: { recall: { "1": 0, "3": 0, "5": 0, "10": 0 }, mrr, ndcg10 } });
    expect(bestIndex([r(0.5, 0.5), r(0.7, 0.1), r(0.7, 0.2)])).toBe(2);
  });
});

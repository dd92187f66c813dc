import { describe, expect, it } from "vitest";
import { formatWeight, validateRagConfig } from "./retrieval-page";

const base = { chunkSize: 400, chunkOverlap: 60, topK: 5, retrievalMode: "hybrid" as const, minScore: 0, fusionWeights: { vector: 1, keyword: 1 }, rerank: { enabled: false, topN: 20 }, context: { neighbours: 0, sameSection: false, maxTokens: 1500 } };

describe("validateRagConfig", () => {
  it("accepts the defaults", () => expect(validateRagConfig(base)).toEqual({}));
  it("names each out-of-range field as the API would refuse it", () => {
    expect(validateRagConfig({ ...base, chunkSize: 5000, topK: 0, minScore: 1.5 })).toEqual({
      chunkSize: "Between 100 and 4000 tokens.",
      topK: "Between 1 and 50.",
      minScore: "Between 0 and 1.",
    });
    expect(validateRagConfig({ ...base, chunkOverlap: 400 }).chunkOverlap).toBe("Must be smaller than the chunk size.");
  });
});

describe("formatWeight", () => {
  it("shows a stored weight with the precision it has", () => {
    expect(formatWeight(0.01)).toBe("0.01");
    expect(formatWeight(1)).toBe("1.00");
    expect(formatWeight(0.005)).toBe("0.005");
    expect(formatWeight(0.3)).toBe("0.30");
  });
});

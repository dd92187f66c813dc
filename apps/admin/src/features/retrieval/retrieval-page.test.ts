import type { FieldErrors } from "react-hook-form";
import { describe, expect, it } from "vitest";
import type { RagConfig } from "../../api/types";
import { formatWeight, overlapMessage, ragConfigResolver, withDefaults } from "./retrieval-page";

const base: RagConfig = { chunkSize: 400, chunkOverlap: 60, topK: 5, retrievalMode: "hybrid", minScore: 0, fusionWeights: { vector: 1, keyword: 1 }, rerank: { enabled: false, topN: 20 }, context: { neighbours: 0, sameSection: false, maxTokens: 1500 } };

/** What each field of the settings form shows, after the form's own resolver judged `values`. */
async function fieldMessages(values: RagConfig) {
  const { errors } = await ragConfigResolver(values, undefined, { fields: {}, shouldUseNativeValidation: false });
  const e = errors as FieldErrors<RagConfig>;
  const shown = {
    chunkSize: e.chunkSize?.message,
    chunkOverlap: overlapMessage(e.chunkOverlap),
    topK: e.topK?.message,
    minScore: e.minScore?.message,
    rerankTopN: e.rerank?.topN?.message,
    neighbours: e.context?.neighbours?.message,
    maxTokens: e.context?.maxTokens?.message,
  };
  return Object.fromEntries(Object.entries(shown).filter(([, m]) => m !== undefined));
}

describe("the retrieval settings form (the API's rag config schema)", () => {
  it("accepts the defaults", async () => expect(await fieldMessages(base)).toEqual({}));

  it("names each out-of-range field in words, as the API would refuse it", async () => {
    expect(await fieldMessages({ ...base, chunkSize: 5000, topK: 0, minScore: 1.5 })).toEqual({
      chunkSize: "Must be at most 4000.",
      topK: "Must be at least 1.",
      minScore: "Must be at most 1.",
    });
    expect(await fieldMessages({ ...base, rerank: { enabled: true, topN: 1 }, context: { neighbours: 6, sameSection: false, maxTokens: 9000 } })).toEqual({
      rerankTopN: "Must be at least 2.",
      neighbours: "Must be at most 5.",
      maxTokens: "Must be at most 8000.",
    });
  });

  it("refuses an overlap that is not below the chunk size, an empty field, and a fraction", async () => {
    expect(await fieldMessages({ ...base, chunkOverlap: 400 })).toEqual({ chunkOverlap: "Must be smaller than the chunk size." });
    expect(await fieldMessages({ ...base, topK: Number.NaN, chunkSize: 400.5 })).toEqual({ topK: "Enter a number.", chunkSize: "Use a whole number." });
  });

  it("fills in settings added since a bot's config was saved", () => {
    const { rerank: _rerank, context: _context, ...old } = base;
    expect(withDefaults(old as RagConfig)).toMatchObject({ rerank: { enabled: false, topN: 20 }, context: { neighbours: 0, maxTokens: 1500 } });
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

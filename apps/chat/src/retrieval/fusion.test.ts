import { describe, expect, it } from "vitest";
import { fuseReciprocalRank } from "./fusion";

const hits = (...ids: string[]) => ids.map((id, i) => ({ id, score: 1 - i * 0.1 }));

describe("fuseReciprocalRank", () => {
  it("ranks a chunk found by both legs above chunks found by one", () => {
    const fused = fuseReciprocalRank(
      { vector: hits("a", "b", "c"), keyword: hits("d", "b", "e") },
      { vector: 1, keyword: 1 },
    );
    expect(fused[0]!.id).toBe("b");
    expect(fused[0]!.vector).toEqual({ rank: 2, score: 0.9 });
    expect(fused[0]!.keyword).toEqual({ rank: 2, score: 0.9 });
    expect(fused.map((h) => h.id).sort()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("lets the heavier leg decide between single-leg hits", () => {
    const fused = fuseReciprocalRank(
      { vector: hits("v1"), keyword: hits("k1") },
      { vector: 0.3, keyword: 1 },
    );
    expect(fused.map((h) => h.id)).toEqual(["k1", "v1"]);
  });

  it("normalises so rank 1 in both legs scores 1", () => {
    const [top] = fuseReciprocalRank(
      { vector: hits("a"), keyword: hits("a") },
      { vector: 2, keyword: 0.5 },
    );
    expect(top!.score).toBeCloseTo(1, 10);
  });

  it("ignores a leg whose weight is zero when ordering", () => {
    const fused = fuseReciprocalRank(
      { vector: hits("a", "b"), keyword: hits("b", "a") },
      { vector: 0, keyword: 1 },
    );
    expect(fused.map((h) => h.id)).toEqual(["b", "a"]);
  });
});

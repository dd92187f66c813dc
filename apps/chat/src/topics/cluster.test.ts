import { describe, expect, it } from "vitest";
import { agglomerate, topTerms } from "./cluster";

describe("agglomerate", () => {
  it("groups points whose mean similarity reaches the threshold and leaves outliers alone", () => {
    const points = [
      [1, 0, 0],
      [0.95, 0.05, 0],
      [0, 1, 0],
      [0, 0.9, 0.1],
      [0, 0, 1],
    ];
    const clusters = agglomerate(points, 0.8).map((c) => c.members);
    expect(clusters).toEqual([[0, 1], [2, 3], [4]]);
    expect(agglomerate(points, 1.01).length).toBe(5);
    expect(agglomerate(points, -1).length).toBe(1);
  });
});

describe("topTerms", () => {
  it("ranks the words a cluster shares above words common to every question", () => {
    const texts = ["how do I reset my router", "router reset not working", "refund my order please", "order refund status"];
    expect(topTerms(texts, [0, 1], 2)).toEqual(["reset", "router"]);
    expect(topTerms(texts, [2, 3], 2)).toEqual(["order", "refund"]);
  });
});

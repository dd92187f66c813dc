import { describe, expect, it } from "vitest";
import { orderByRerank, parseRerankResponse, RerankError } from "./rerank";

describe("parseRerankResponse", () => {
  it("reads the Cohere/Jina/vLLM shape and TEI's", () => {
    expect(parseRerankResponse({ id: "x", results: [{ index: 1, relevance_score: 0.9, document: { text: "b" } }] })).toEqual([{ index: 1, score: 0.9 }]);
    expect(parseRerankResponse([{ index: 0, score: 0.3 }, { index: 2, score: 0.7 }])).toEqual([
      { index: 0, score: 0.3 },
      { index: 2, score: 0.7 },
    ]);
  });

  it("refuses anything else, and drops entries without a finite score", () => {
    expect(() => parseRerankResponse({ ranking: [] })).toThrow(RerankError);
    expect(() => parseRerankResponse("ok")).toThrow(/neither/);
    expect(parseRerankResponse([{ index: 0 }, { index: 1, score: 0.5 }])).toEqual([{ index: 1, score: 0.5 }]);
  });
});

describe("orderByRerank", () => {
  it("puts scored candidates first by score, the rest after in their order", () => {
    const { order, scores, ignored } = orderByRerank(5, [
      { index: 3, score: 0.2 },
      { index: 1, score: 0.8 },
    ]);
    expect(order).toEqual([1, 3, 0, 2, 4]);
    expect(scores.get(1)).toBe(0.8);
    expect(ignored).toBe(0);
  });

  it("ignores out-of-range, fractional and repeated indices", () => {
    const { order, ignored } = orderByRerank(3, [
      { index: 7, score: 1 },
      { index: -1, score: 1 },
      { index: 0.5, score: 1 },
      { index: 2, score: 0.4 },
      { index: 2, score: 0.99 },
    ]);
    expect(order).toEqual([2, 0, 1]);
    expect(ignored).toBe(4);
  });
});

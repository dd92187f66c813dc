import { describe, expect, it } from "vitest";
import type { NeighbourChunk } from "@docent/db/queries/neighbour-chunks";
import type { RetrievedChunk } from "../retrieval/types";
import { joinPieces, widen } from "./context";

const text = "Step one. Step two. Step three. Step four. Step five.";
/** Chunks of `text` with one sentence of overlap, as the chunker makes them. */
const spans = [
  [0, 19],
  [10, 31],
  [20, 42],
  [32, 53],
] as const;
const chunk = (i: number, anchorId: string, tokenCount = 5): NeighbourChunk => ({
  anchorId,
  id: `c${i}`,
  documentId: "d",
  chunkIndex: i,
  content: text.slice(spans[i]![0], spans[i]![1]),
  tokenCount,
  metadata: { charStart: spans[i]![0], charEnd: spans[i]![1] },
});
const source = (i: number): RetrievedChunk => ({
  chunkId: `c${i}`,
  documentId: "d",
  documentName: "doc",
  chunkIndex: i,
  content: text.slice(spans[i]![0], spans[i]![1]),
  page: null,
  headingPath: [],
  score: 1,
  rank: 1,
});
const settings = { neighbours: 1, sameSection: false, maxTokens: 100 };

describe("joinPieces", () => {
  it("says the overlap of consecutive chunks once and marks gaps", () => {
    const pieces = [0, 1, 2, 3].map((i) => ({ ...chunk(i, "x"), charStart: spans[i]![0], charEnd: spans[i]![1] }));
    expect(joinPieces(pieces)).toBe(text);
    expect(joinPieces([pieces[0]!, pieces[3]!])).toBe("Step one. Step two.\n[…]\nStep four. Step five.");
  });
});

describe("widen", () => {
  it("adds the chunks either side of a source, in document order", () => {
    const rows = [chunk(0, "c1"), chunk(1, "c1"), chunk(2, "c1")];
    expect(widen([source(1)], rows, settings).get("c1")).toBe("Step one. Step two. Step three. Step four.");
  });

  it("stays within the token budget, the following chunk first", () => {
    const rows = [chunk(0, "c1", 5), chunk(1, "c1"), chunk(2, "c1", 5)];
    expect(widen([source(1)], rows, { ...settings, maxTokens: 6 }).get("c1")).toBe("Step two. Step three. Step four.");
    expect(widen([source(1)], rows, { ...settings, maxTokens: 4 }).has("c1")).toBe(false);
  });

  it("never gives a chunk twice: not another source, not to two sources", () => {
    const rows = [chunk(0, "c1"), chunk(1, "c1"), chunk(2, "c1"), chunk(1, "c2"), chunk(2, "c2"), chunk(3, "c2")];
    const out = widen([source(1), source(2)], rows, settings);
    expect(out.get("c1")).toBe("Step one. Step two. Step three.");
    expect(out.get("c2")).toBe("Step three. Step four. Step five.");
  });
});

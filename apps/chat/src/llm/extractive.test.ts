import { describe, expect, it } from "vitest";
import { createExtractiveResponder, EXTRACTIVE_PREFIX } from "./extractive";

const sources = [
  { index: 1, score: 0.9, content: "The office opens at eight. Employees get twenty-five vacation days per year. Parking is free." },
  { index: 2, score: 0.5, content: "Vacation requests are approved by your manager." },
];

describe("extractive responder", () => {
  it("answers with the matching sentences and their source markers, streaming the same text", async () => {
    const pieces: string[] = [];
    const out = await createExtractiveResponder().generate(
      { messages: [], question: "How many vacation days per year?", sources, temperature: 0, maxTokens: 100 },
      (p) => pieces.push(p),
    );
    expect(out.text.startsWith(EXTRACTIVE_PREFIX)).toBe(true);
    expect(out.text).toContain("Employees get twenty-five vacation days per year. [1]");
    expect(out.text).not.toContain("Parking");
    expect(out.text.indexOf("[1]")).toBeLessThan(out.text.indexOf("[2]"));
    expect(pieces.join("")).toBe(out.text);
    expect(out.outputTokens).toBeGreaterThan(0);
  });

  it("says nothing when there are no sources", async () => {
    const out = await createExtractiveResponder().generate(
      { messages: [], question: "anything", sources: [], temperature: 0, maxTokens: 100 },
      () => {},
    );
    expect(out.text).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { createExtractiveResponder, EXTRACTIVE_PREFIX, splitSentences } from "./extractive";

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

  it("quotes prose, not Markdown headings or list markers", async () => {
    const content = "## Warranty\n\nThe Zephyr 9 blender comes with a seven year warranty on the motor.\n- Register online within 30 days.\n- Keep the receipt.";
    expect(splitSentences(content)).toEqual([
      "The Zephyr 9 blender comes with a seven year warranty on the motor.",
      "Register online within 30 days.",
      "Keep the receipt.",
    ]);
    const out = await createExtractiveResponder().generate(
      { messages: [], question: "How long is the warranty?", sources: [{ index: 1, score: 1, content }], temperature: 0, maxTokens: 100 },
      () => {},
    );
    expect(out.text).toBe(`${EXTRACTIVE_PREFIX} The Zephyr 9 blender comes with a seven year warranty on the motor. [1]`);
  });
});

import { describe, expect, it } from "vitest";
import { generateQuestions, keySentence, questionFromSentence } from "./generate";

describe("offline question generation", () => {
  it("picks the sentence richest in specific words and asks about its key terms", () => {
    const text = "Welcome to the guide. The X200 router supports WPA3 encryption and up to 64 connected devices. Enjoy.";
    expect(keySentence(text)).toBe("The X200 router supports WPA3 encryption and up to 64 connected devices.");
    expect(questionFromSentence("The X200 router supports WPA3 encryption and up to 64 connected devices.")).toBe(
      "What do the documents say about X200 WPA3 encryption 64?",
    );
    expect(questionFromSentence("It is so.")).toBeNull();
  });

  it("asks one question per chunk, headings first, spread over documents, each expecting its chunk", () => {
    const chunks = [
      { id: "a1", documentId: "A", content: "Hold the recessed reset button for ten seconds until the light blinks amber.", metadata: { headingPath: ["Troubleshooting", "Factory reset"] } },
      { id: "a2", documentId: "A", content: "More text about the factory reset procedure and its caveats for routers.", metadata: { headingPath: ["Troubleshooting", "Factory reset"] } },
      { id: "b1", documentId: "B", content: "Every Acme router carries a three-year warranty covering hardware defects.", metadata: {} },
    ];
    const questions = generateQuestions(chunks, 3);
    expect(questions.map((q) => q.question)).toEqual([
      "What do the documents say about Factory reset?",
      "What do the documents say about Acme three-year warranty covering?",
      expect.stringMatching(/^What do the documents say about /),
    ]);
    expect(questions[1]!.expected).toEqual([{ documentId: "B", chunkId: "b1" }]);
    expect(generateQuestions(chunks, 1)).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { verifyCitations } from "./citations";
import { buildPrompt, fitHistory } from "./prompt";

describe("verifyCitations", () => {
  it("keeps markers of retrieved sources and removes invented ones", () => {
    const out = verifyCitations("Vacation is 25 days [2]. Parking is free [7]. Hours vary [1][2].", 3);
    expect(out.cited).toEqual([2, 1]);
    expect(out.dropped).toEqual([7]);
    expect(out.text).toBe("Vacation is 25 days [2]. Parking is free. Hours vary [1][2].");
  });

  it("drops every marker when nothing was retrieved", () => {
    expect(verifyCitations("Yes [1].", 0)).toEqual({ text: "Yes.", cited: [], dropped: [1] });
  });
});

describe("buildPrompt", () => {
  it("puts rules and numbered sources in the system message and the question last", () => {
    const messages = buildPrompt({
      systemPrompt: "You are Acme's HR assistant.",
      strict: true,
      refusalText: "Sorry, not in my documents.",
      sources: [{ index: 1, content: "25 vacation days.", score: 1, documentName: "handbook.pdf", page: 3 }],
      history: [
        { role: "USER", content: "Hi" },
        { role: "ASSISTANT", content: "Hello!" },
      ],
      historyTokenBudget: 100,
      question: "How many vacation days?",
    });
    expect(messages[0]!.content).toContain("You are Acme's HR assistant.");
    expect(messages[0]!.content).toContain("[1] (handbook.pdf, page 3)\n25 vacation days.");
    expect(messages[0]!.content).toContain('reply exactly: "Sorry, not in my documents."');
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages.at(-1)!.content).toBe("How many vacation days?");
  });

  it("keeps only the most recent turns that fit the history budget", () => {
    const long = "word ".repeat(200);
    const kept = fitHistory(
      [
        { role: "USER", content: long },
        { role: "ASSISTANT", content: long },
        { role: "USER", content: "short question" },
        { role: "ASSISTANT", content: "short answer" },
      ],
      50,
    );
    expect(kept).toEqual([
      { role: "USER", content: "short question" },
      { role: "ASSISTANT", content: "short answer" },
    ]);
  });
});

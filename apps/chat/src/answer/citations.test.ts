import { describe, expect, it } from "vitest";
import { createCitationStream, verifyCitations } from "./citations";
import { buildPrompt, fitHistory } from "./prompt";

/** Streams `text` cut into pieces of `size` characters; returns what was sent and the result. */
function streamed(text: string, sourceCount: number, size: number) {
  const stream = createCitationStream(sourceCount);
  let sent = "";
  for (let i = 0; i < text.length; i += size) sent += stream.push(text.slice(i, i + size));
  sent += stream.end();
  return { sent, ...stream.result() };
}

describe("verifyCitations", () => {
  it("keeps markers of given sources, renumbered by first appearance, and removes invented ones", () => {
    const out = verifyCitations("Vacation is 25 days [2]. Parking is free [7]. Hours vary [1][2].", 3);
    expect(out.text).toBe("Vacation is 25 days [1]. Parking is free. Hours vary [2][1].");
    expect(out.cited).toEqual([2, 1]);
    expect(out.dropped).toEqual([7]);
  });

  it("drops every marker when nothing was given, with the space before it", () => {
    expect(verifyCitations("Yes [1].", 0)).toEqual({ text: "Yes.", cited: [], dropped: [1] });
    expect(verifyCitations("a [9] b [0]\nc", 2).text).toBe("a b\nc");
  });

  it("trims the answer and leaves brackets that are not markers alone", () => {
    expect(verifyCitations("  See [a] and [1234] or [] [1, 2].  ", 2).text).toBe("See [a] and [1234] or [] [1, 2].");
  });

  it("leaves code alone: inline code and fenced blocks are not citations", () => {
    const text = "Use `a[1]` [2].\n```\nx = b[9]\n```\nDone [9].";
    expect(verifyCitations(text, 2)).toEqual({ text: "Use `a[1]` [1].\n```\nx = b[9]\n```\nDone.", cited: [2], dropped: [9] });
  });
});

describe("createCitationStream", () => {
  const answers = [
    "The Pro plan costs forty euros [2], and includes support [9]. Billing is monthly [1][2].",
    "  [3] first. Then `code[1]` and [12] and [1",
    "Run:\n```sh\nrustup component add rustfmt\n```\nThat installs it [1] .",
    "[9][8] [7]",
    "Ends with a space before a dropped marker [5]",
  ];

  it("sends exactly the verified text whatever the chunking, never a marker it drops", () => {
    for (const text of answers) {
      const whole = verifyCitations(text, 3);
      for (const size of [1, 2, 3, 5, 7, 1000]) {
        const out = streamed(text, 3, size);
        expect(out.sent, `${JSON.stringify(text)} in pieces of ${size}`).toBe(whole.text);
        expect(out.text).toBe(whole.text);
        expect(out.cited).toEqual(whole.cited);
      }
    }
  });

  it("holds a split marker back until it is complete and verified", () => {
    const stream = createCitationStream(2);
    expect(stream.push("Yes [")).toBe("Yes");
    expect(stream.push("1")).toBe("");
    expect(stream.push("]")).toBe(" [1]");
    expect(stream.push(" and [")).toBe(" and");
    expect(stream.push("9] no.")).toBe(" no.");
    expect(stream.end()).toBe("");
    expect(stream.result()).toEqual({ text: "Yes [1] and no.", cited: [1], dropped: [9] });
  });

  it("numbers citations 1..n in reading order when the model starts at [2]", () => {
    expect(streamed("B [2], A [1], C [3], B again [2].", 3, 2).sent).toBe("B [1], A [2], C [3], B again [1].");
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

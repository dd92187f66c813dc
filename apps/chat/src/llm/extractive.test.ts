import { describe, expect, it } from "vitest";
import { verifyCitations } from "../answer/citations";
import { createExtractiveResponder, EXTRACTIVE_PREFIX, splitSentences, splitUnits } from "./extractive";
import type { PromptSource } from "./types";

async function ask(question: string, sources: PromptSource[]) {
  const pieces: string[] = [];
  const out = await createExtractiveResponder().generate({ messages: [], question, sources, temperature: 0, maxTokens: 100 }, (p) => pieces.push(p));
  expect(pieces.join("")).toBe(out.text);
  return out.text;
}

const src = (index: number, content: string, score = 1 - index / 10): PromptSource => ({ index, content, score });

describe("extractive reader", () => {
  it("quotes the sentence that answers, with its source marker, and not the rest of the chunk", async () => {
    const text = await ask("How many vacation days per year?", [
      src(1, "The office opens at eight. Employees get twenty-five vacation days per year. Parking is free."),
      src(2, "Vacation requests are approved by your manager."),
    ]);
    expect(text.startsWith(EXTRACTIVE_PREFIX)).toBe(true);
    expect(text).toContain("Employees get twenty-five vacation days per year. [1]");
    expect(text).not.toContain("Parking");
    expect(text).not.toContain("office opens");
  });

  it("says nothing when no source or no unit is relevant", async () => {
    expect(await ask("anything", [])).toBe("");
    expect(await ask("What is the capital of Mongolia?", [src(1, "Badges must be worn visibly at all times inside the building.")])).toBe("");
  });

  it("quotes prose, not Markdown headings, list markers or menus", async () => {
    const content = "## Warranty\n\nHome | Products | Support | Contact\n\nThe Zephyr 9 blender comes with a seven year warranty on the motor.\n- Register online within 30 days.\n- Keep the receipt.";
    expect(splitSentences(content)).toEqual([
      "The Zephyr 9 blender comes with a seven year warranty on the motor.",
      "Register online within 30 days.",
      "Keep the receipt.",
    ]);
    const text = await ask("How long is the warranty?", [src(1, content)]);
    expect(text.startsWith(`${EXTRACTIVE_PREFIX} The Zephyr 9 blender comes with a seven year warranty on the motor. [1]`)).toBe(true);
    expect(text).not.toMatch(/Warranty|Home|Products|Keep the receipt/);
  });

  it("keeps a code block intact with the sentence leading into it", async () => {
    const content = "## Components\n\nExtra tools come as components. To install rustfmt, run:\n\n```sh\nrustup component add rustfmt\n```\n\nClippy is added the same way.";
    const text = await ask("How do I install rustfmt?", [src(1, "Rust is a systems programming language."), src(2, content)]);
    expect(text).toBe(`${EXTRACTIVE_PREFIX} To install rustfmt, run: [2]\n\`\`\`sh\nrustup component add rustfmt\n\`\`\``);
    // The citation stream leaves code alone, so the block survives verification.
    expect(verifyCitations(text, 2).text).toContain("```sh\nrustup component add rustfmt\n```");
  });

  it("renders CSV and JSON rows as column: value, only the rows asked about", async () => {
    const csv = "package,version,maintainer\nrustc,1.85.0,Debian Rust Maintainers\nredis-server,7.0.15,Chris Lamb\nnginx,1.26.3,Debian Nginx Maintainers";
    expect(splitUnits(csv).map((u) => u.text)).toEqual([
      "package: rustc, version: 1.85.0, maintainer: Debian Rust Maintainers",
      "package: redis-server, version: 7.0.15, maintainer: Chris Lamb",
      "package: nginx, version: 1.26.3, maintainer: Debian Nginx Maintainers",
    ]);
    const text = await ask("Who maintains redis-server?", [src(1, csv)]);
    expect(text).toBe(`${EXTRACTIVE_PREFIX}\n- package: redis-server, version: 7.0.15, maintainer: Chris Lamb [1]`);

    const json = "[0].codename: bookworm\n[0].version: 12\n[0].released: 2023-06-10\n\n[1].codename: bullseye\n[1].version: 11\n[1].released: 2021-08-14";
    expect(await ask("When was bullseye released?", [src(1, json)])).toBe(`${EXTRACTIVE_PREFIX}\n- codename: bullseye, version: 11, released: 2021-08-14 [1]`);
  });

  it("never repeats a sentence that overlapping chunks share, and stays with the source that answers", async () => {
    const shared = "The Pro plan costs forty euros per month.";
    const text = await ask("How much does the Pro plan cost per month?", [
      src(1, `Plans are billed monthly. ${shared}`),
      src(2, `${shared} Annual billing saves ten percent.`),
      src(3, "The cafeteria plan for lunch costs nothing."),
    ]);
    expect(text.split(shared).length - 1).toBe(1);
    expect(text).not.toContain("cafeteria");
  });

  it("keeps initials and abbreviations inside their sentence", () => {
    expect(splitSentences("The conglomerate was backed by financier J. P. Morgan in the 1890s. It grew quickly after that.")).toEqual([
      "The conglomerate was backed by financier J. P. Morgan in the 1890s.",
      "It grew quickly after that.",
    ]);
  });

  it("answers short when one unit clearly wins, and quotes the contenders side by side when none does", async () => {
    const filler = "The museum shop sells postcards and guide books near the entrance hall.";
    // Clear: only the first source speaks of the opening year.
    const clearAnswer = await ask("When did the Riverside museum open to the public?", [
      src(1, `The Riverside museum opened to the public in 1911. ${filler}`),
      src(2, "Visitors of the Riverside museum can rent audio guides."),
      src(3, "The public library nearby has a reading room."),
    ]);
    expect(clearAnswer).toBe(`${EXTRACTIVE_PREFIX} The Riverside museum opened to the public in 1911. [1]`);

    // Unsure: three sources hold the question's words equally well; each is quoted, once.
    const tied = [
      "The east wing of the Riverside museum opened in 1911 after a fire.",
      "The Riverside museum's west wing opened in 1923 with a new roof.",
      "The north wing of the Riverside museum opened in 1930 for sculpture.",
    ];
    const unsureAnswer = await ask("When did the Riverside museum wing open?", tied.map((t, i) => src(i + 1, `${t} ${filler}`)));
    for (const [i, t] of tied.entries()) expect(unsureAnswer).toContain(`${t} [${i + 1}]`);
    expect(unsureAnswer).not.toContain("postcards");
  });
});

import { createHash } from "node:crypto";
import { chunkMetadataSchema } from "@docent/contracts/json";
import { describe, expect, it } from "vitest";
import { chunkDocument, chunkSections, documentText } from "./chunk";
import { extract } from "./extract/index";
import { makePdf, utf8 } from "./testing/fixtures";
import { countTokens } from "./tokens";
import type { ExtractedDocument } from "./types";

const sentence = (i: number) => `Fact ${i}: the ${["red", "green", "blue", "amber"][i % 4]} valve number ${i} opens at ${i * 3} bar.`;

function paragraphs(count: number, perParagraph: number, from = 0): string {
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const s: string[] = [];
    for (let k = 0; k < perParagraph; k++) s.push(sentence(from + p * perParagraph + k));
    out.push(s.join(" "));
  }
  return out.join("\n\n");
}

describe("chunkDocument", () => {
  it("keeps every sentence, within the token budget, with real token counts and hashes", () => {
    const doc: ExtractedDocument = { sections: [{ text: paragraphs(30, 6) }] };
    const chunks = chunkDocument(doc, { chunkSize: 120, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.content));
      expect(chunk.tokenCount).toBeLessThanOrEqual(120);
      expect(chunk.contentHash).toBe(createHash("sha256").update(chunk.content).digest("hex"));
      expect(chunkMetadataSchema.parse(chunk.metadata)).toEqual(chunk.metadata);
    }
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    const joined = chunks.map((c) => c.content).join("\n");
    for (let i = 0; i < 180; i++) expect(joined).toContain(sentence(i));
  });

  it("ends chunks at paragraph breaks when one is in reach", () => {
    // Paragraphs of ~4 sentences (~80 tokens); a 120-token budget cannot hold two.
    const doc: ExtractedDocument = { sections: [{ text: paragraphs(10, 4) }] };
    const chunks = chunkDocument(doc, { chunkSize: 120, chunkOverlap: 0 });
    const endings = chunks.map((c) => Number(/Fact (\d+):[^:]*$/.exec(c.content)?.[1]));
    // Every chunk ends on the last sentence of a paragraph (sentence indexes 3, 7, 11, ...).
    expect(endings.every((n) => n % 4 === 3)).toBe(true);
  });

  it("repeats trailing sentences of the previous chunk as overlap", () => {
    const doc: ExtractedDocument = { sections: [{ text: Array.from({ length: 60 }, (_, i) => sentence(i)).join(" ") }] };
    const chunks = chunkDocument(doc, { chunkSize: 100, chunkOverlap: 40 });
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1]!.content.split(/(?<=\.) /).slice(-1)[0]!;
      expect(chunks[i]!.content).toContain(previousLast);
    }
    const without = chunkDocument(doc, { chunkSize: 100, chunkOverlap: 0 });
    expect(chunks.length).toBeGreaterThan(without.length);
    expect(without.map((c) => c.content).join(" ")).toBe(doc.sections[0]!.text);
  });

  it("never mixes pages or heading sections, and keeps their metadata", async () => {
    const pdf = await makePdf({
      pages: [[paragraphs(3, 5, 0)], [paragraphs(3, 5, 100)], ["Short last page sentence."]],
    });
    const doc = await extract({ bytes: pdf, kind: "pdf" });
    const chunks = chunkDocument(doc, { chunkSize: 200, chunkOverlap: 30 });
    for (const chunk of chunks) {
      const numbers = [...chunk.content.matchAll(/Fact (\d+):/g)].map((m) => Number(m[1]));
      const expectedPage = numbers.length === 0 ? 3 : numbers[0]! >= 100 ? 2 : 1;
      expect(chunk.metadata.page).toBe(expectedPage);
      expect(numbers.every((n) => (n >= 100 ? 2 : 1) === expectedPage)).toBe(true);
    }
    expect(chunks.find((c) => c.content.includes("Short last page sentence."))?.metadata.page).toBe(3);

    const md = await extract({ bytes: utf8("# A\n\nAlpha text.\n\n## B\n\nBeta text.\n"), kind: "markdown" });
    const mdChunks = chunkDocument(md, { chunkSize: 400, chunkOverlap: 60 });
    expect(mdChunks.map((c) => [c.content, c.metadata.headingPath])).toEqual([
      ["# A\n\nAlpha text.", ["A"]],
      ["## B\n\nBeta text.", ["A", "B"]],
    ]);
  });

  it("records character offsets into the document text", () => {
    const doc: ExtractedDocument = {
      sections: [{ text: paragraphs(4, 5, 0), page: 1 }, { text: paragraphs(4, 5, 50), page: 2 }],
    };
    const text = documentText(doc);
    for (const chunk of chunkDocument(doc, { chunkSize: 90, chunkOverlap: 15 })) {
      expect(text.slice(chunk.metadata.charStart, chunk.metadata.charEnd)).toBe(chunk.content);
    }
  });

  it("repeats the CSV header at the top of every chunk and records row ranges", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i + 1},Customer ${i + 1},customer${i + 1}@example.com,${(i * 7) % 100}`);
    const csv = `id,name,email,score\n${rows.join("\n")}\n`;
    const doc = await extract({ bytes: utf8(csv), kind: "csv" });
    const chunks = chunkDocument(doc, { chunkSize: 150, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    let expectedNext = 1;
    for (const chunk of chunks) {
      const lines = chunk.content.split("\n");
      expect(lines[0]).toBe("id,name,email,score");
      expect(chunk.tokenCount).toBeLessThanOrEqual(150);
      expect(chunk.metadata.rowStart).toBe(expectedNext);
      expect(chunk.metadata.rowEnd).toBe(expectedNext + lines.length - 2);
      expect(lines[1]).toBe(rows[expectedNext - 1]);
      expectedNext = chunk.metadata.rowEnd! + 1;
    }
    expect(expectedNext).toBe(201);
  });

  it("splits a sentence longer than a chunk without losing text", () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(" ");
    const noSpaces = "x".repeat(5000);
    const doc: ExtractedDocument = { sections: [{ text: words }, { text: noSpaces }] };
    const chunks = chunkDocument(doc, { chunkSize: 100, chunkOverlap: 0 });
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(100);
    const first = chunks.filter((c) => c.content.startsWith("word")).map((c) => c.content).join(" ");
    expect(first).toBe(words);
    expect(chunks.filter((c) => c.content.startsWith("x")).map((c) => c.content).join("")).toBe(noSpaces);
  });

  it("gives the same chunks streamed as in one go", async () => {
    const doc: ExtractedDocument = {
      sections: [{ text: paragraphs(5, 5), page: 1 }, { text: "a,b", header: "h1,h2", rowStart: 1, rowEnd: 1 }, { text: paragraphs(2, 3), page: 2 }],
    };
    const opts = { chunkSize: 80, chunkOverlap: 10 };
    const streamed = [];
    for await (const chunk of chunkSections(doc.sections, opts)) streamed.push(chunk);
    expect(streamed).toEqual(chunkDocument(doc, opts));
  });

  it("rejects an overlap that is not smaller than the chunk size", () => {
    expect(() => chunkDocument({ sections: [] }, { chunkSize: 100, chunkOverlap: 100 })).toThrow(RangeError);
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkDocument } from "../chunk";
import { extract } from "../extract/index";
import { writeLargePdf } from "./large-pdf";

const dir = mkdtempSync(join(tmpdir(), "docent-large-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeLargePdf (benchmark input)", () => {
  it("writes a readable multi-page PDF of about the requested size with numbered pages", async () => {
    const path = join(dir, "small.pdf");
    const result = writeLargePdf(path, { targetBytes: 400_000 });
    const bytes = new Uint8Array(readFileSync(path));
    expect(bytes.length).toBe(result.bytes);
    expect(result.bytes).toBeGreaterThanOrEqual(400_000);
    expect(result.bytes).toBeLessThan(420_000);
    const doc = await extract({ bytes, kind: "pdf" });
    expect(doc.sections).toHaveLength(result.pages);
    doc.sections.forEach((section, i) => {
      expect(section.page).toBe(i + 1);
      expect(section.text.startsWith(`This is page ${i + 1} of the benchmark document.`)).toBe(true);
    });
    const chunks = chunkDocument(doc, { chunkSize: 400, chunkOverlap: 60 });
    expect(chunks.find((c) => c.content.includes("This is page 42 of"))?.metadata.page).toBe(42);
  });
});

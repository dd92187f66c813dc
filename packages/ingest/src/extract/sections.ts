/**
 * Collects text under a stack of headings into sections, shared by the HTML, DOCX and
 * Markdown extractors. A heading opens a new section whose text starts with the heading
 * line itself, so a chunk made from it reads on its own.
 */
import type { ExtractedSection } from "../types";

export class SectionCollector {
  readonly sections: ExtractedSection[] = [];
  private readonly headings: { level: number; text: string }[] = [];
  private parts: string[] = [];
  private hasBody = false;
  private headingOnly: ExtractedSection[] = [];

  /** Starts a section under `text` at `level` (1 = h1); `line` is what the text shows. */
  heading(level: number, text: string, line: string = text): void {
    this.flush();
    while (this.headings.length > 0 && this.headings[this.headings.length - 1]!.level >= level) {
      this.headings.pop();
    }
    const clean = text.replace(/\s+/g, " ").trim();
    if (clean !== "") this.headings.push({ level, text: clean });
    this.parts.push(line.trim(), "\n\n");
  }

  append(text: string, hasContent = text.trim() !== ""): void {
    this.parts.push(text);
    if (hasContent) this.hasBody = true;
  }

  flush(): void {
    const text = normaliseBlockText(this.parts.join(""));
    if (text !== "") {
      const section: ExtractedSection = { text };
      if (this.headings.length > 0) section.headingPath = this.headings.map((h) => h.text);
      // A heading directly followed by a sub-heading carries no content of its own.
      if (this.hasBody) this.sections.push(section);
      else this.headingOnly.push(section);
    }
    this.parts = [];
    this.hasBody = false;
  }

  finish(): ExtractedSection[] {
    this.flush();
    return this.sections.length > 0 ? this.sections : this.headingOnly;
  }
}

/** Collapses runs of spaces, trims lines and keeps at most one blank line between blocks. */
export function normaliseBlockText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Markdown via the marked lexer: each heading opens a section; block text is kept as written. */
import { lexer } from "marked";
import type { ExtractedDocument } from "../types";
import { SectionCollector } from "./sections";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/;

export function extractMarkdown(source: string): ExtractedDocument {
  let text = source.replace(/^\uFEFF/, "");
  let title: string | undefined;
  const front = FRONT_MATTER.exec(text);
  if (front) {
    title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1] ?? "")?.[1];
    text = text.slice(front[0].length);
  }

  const collector = new SectionCollector();
  for (const token of lexer(text)) {
    if (token.type === "heading") {
      const plain = stripInline(token.text);
      title ??= token.depth === 1 ? plain : undefined;
      collector.heading(token.depth, plain, token.raw);
    } else if (token.type === "space" || token.type === "hr" || token.type === "def") {
      collector.append("\n\n", false);
    } else {
      collector.append(`${token.raw}\n\n`);
    }
  }
  const sections = collector.finish();
  return title ? { title, sections } : { sections };
}

function stripInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`~]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

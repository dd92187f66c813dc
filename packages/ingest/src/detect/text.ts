/**
 * Text formats have no magic number, so their kind is sniffed from the content. The name
 * hint only breaks ties between kinds the content allows equally (a plain paragraph is
 * valid Markdown too).
 */
import Papa from "papaparse";
import { UnsupportedFileError } from "../errors";
import type { SourceKind } from "../types";
import { isJsonPrefix } from "./json-prefix";

const extensionKinds: Record<string, SourceKind> = {
  md: "markdown",
  markdown: "markdown",
  mdown: "markdown",
  mkd: "markdown",
  txt: "text",
  text: "text",
  log: "text",
  csv: "csv",
  tsv: "csv",
  json: "json",
  html: "html",
  htm: "html",
  xhtml: "html",
};

/** Which text kinds the content allows, strongest first; `text` is always possible. */
export function sniffTextKind(text: string, nameHint?: string): SourceKind {
  const candidates = textCandidates(text);
  const ext = nameHint?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const hinted = ext ? extensionKinds[ext] : undefined;
  if (hinted && candidates.includes(hinted)) return hinted;
  return candidates[0]!;
}

function textCandidates(raw: string): SourceKind[] {
  const text = raw.replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  const out: SourceKind[] = [];

  if (/^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+svg|<svg)/i.test(trimmed) || /^<svg[\s>]/i.test(trimmed)) {
    throw new UnsupportedFileError(
      "Images (SVG) are not supported. Upload a PDF, Word (.docx), HTML, Markdown, text, CSV or JSON file.",
    );
  }
  if (looksLikeJson(trimmed)) out.push("json");
  if (looksLikeHtml(trimmed)) out.push("html");
  const csv = csvShape(text);
  if (csv === "table") out.push("csv");
  const md = markdownScore(text);
  if (md >= 2) out.push("markdown");
  out.push("text");
  if (md < 2) out.push("markdown");
  if (csv === "single-column") out.push("csv");
  return out;
}

function looksLikeJson(trimmed: string): boolean {
  if (trimmed[0] !== "{" && trimmed[0] !== "[") return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    // A head of a larger file is a truncated document: accept a valid JSON prefix.
    return isJsonPrefix(trimmed);
  }
}

const HTML_TAG =
  /<(p|div|span|a|h[1-6]|ul|ol|li|table|tr|td|th|section|article|main|nav|header|footer|img|br|strong|em|script|style|meta|link|title|form|blockquote|pre|code)[\s>/]/gi;

function looksLikeHtml(trimmed: string): boolean {
  if (trimmed[0] !== "<") return false;
  const start = trimmed.slice(0, 2048).replace(/^(<!--[\s\S]*?-->\s*)+/, "");
  if (/^(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(start)) return true;
  const tags = new Set<string>();
  for (const m of trimmed.slice(0, 65_536).matchAll(HTML_TAG)) {
    tags.add(m[1]!.toLowerCase());
    if (tags.size >= 2) return true;
  }
  return false;
}

/**
 * "table": at least two lines (three when available) with the same number (>= 2) of
 * delimiter-separated fields; "single-column": several short lines and no delimiter.
 */
function csvShape(text: string): "table" | "single-column" | "none" {
  let sample = text.slice(0, 32_768);
  const lastNewline = sample.lastIndexOf("\n");
  if (text.length > sample.length || !/\n\s*$/.test(sample)) {
    // Drop a possibly cut-off last line.
    if (lastNewline > 0) sample = sample.slice(0, lastNewline);
  }
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length < 2) return "none";
  const parsed = Papa.parse<string[]>(lines.slice(0, 50).join("\n"), {
    delimitersToGuess: [",", ";", "\t", "|"],
    skipEmptyLines: true,
  });
  const rows = parsed.data;
  if (parsed.errors.length === 0 && rows.length >= 2) {
    const width = rows[0]!.length;
    const consistent = rows.every((r) => r.length === width);
    const enoughRows = rows.length >= Math.min(3, lines.length);
    const shortHeader = rows[0]!.every((f) => f.length <= 200);
    if (width >= 2 && consistent && enoughRows && shortHeader) return "table";
  }
  const singleColumn = lines.every((l) => l.length <= 200 && !/[,;\t]/.test(l));
  return singleColumn ? "single-column" : "none";
}

function markdownScore(text: string): number {
  const sample = text.slice(0, 65_536);
  let score = 0;
  if (/^#{1,6}[ \t]+\S/m.test(sample)) score += 2;
  if (/^(```|~~~)/m.test(sample)) score += 2;
  if (/^\|.*\|[ \t]*\r?\n\|?[ \t]*:?-{3,}/m.test(sample)) score += 2;
  if (/^\S[^\n]*\r?\n(=+|-{3,})[ \t]*$/m.test(sample)) score += 1;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(sample)) score += 1;
  if (/(\*\*|__)[^*_\n]+\1/.test(sample)) score += 1;
  if (/^[ \t]*([-*+]|\d+\.)[ \t]+\S/m.test(sample)) score += 1;
  if (/^>[ \t]/m.test(sample)) score += 1;
  return score;
}

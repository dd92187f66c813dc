/**
 * Decides what a file is from its first bytes, never from the client's name or
 * Content-Type. Binary formats are recognised by magic numbers; text formats (which have
 * none) by sniffing their content. The name hint only breaks ties between text kinds that
 * the content allows equally (a plain paragraph is valid Markdown too).
 */
import { inflateRawSync, constants as zlibConstants } from "node:zlib";
import Papa from "papaparse";
import { UnsupportedFileError } from "./errors";
import { decodeHead } from "./text-decode";
import type { SourceKind } from "./types";

/** How many leading bytes callers should pass to `detectFileType` (less works for most files). */
export const DETECT_HEAD_BYTES = 64 * 1024;

export const mimeTypes: Record<SourceKind, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  markdown: "text/markdown",
  text: "text/plain",
  csv: "text/csv",
  json: "application/json",
};

export interface DetectedFileType {
  kind: SourceKind;
  mimeType: string;
}

export function detectFileType(head: Uint8Array, nameHint?: string): DetectedFileType {
  if (head.length === 0) throw new UnsupportedFileError("The file is empty.", "empty_file");

  const binary = detectBinaryKind(head);
  if (binary) return { kind: binary, mimeType: mimeTypes[binary] };

  if (looksBinary(head)) {
    throw new UnsupportedFileError(
      "This file is not a supported document: it looks like binary data. Upload a PDF, Word (.docx), HTML, Markdown, text, CSV or JSON file.",
    );
  }
  const { text } = decodeHead(head);
  if (text.trim() === "") {
    throw new UnsupportedFileError("The file contains no text.", "empty_file");
  }
  const kind = sniffTextKind(text, nameHint);
  return { kind, mimeType: mimeTypes[kind] };
}

const UNSUPPORTED_OFFICE =
  "Legacy Microsoft Office files (.doc, .xls, .ppt) and password-protected Office documents are not supported. Save it as an unprotected .docx or PDF and upload that.";

/** Binary signatures: a supported kind, or a thrown UnsupportedFileError naming the format. */
function detectBinaryKind(b: Uint8Array): SourceKind | null {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  const ascii = (offset: number, s: string) =>
    [...s].every((ch, i) => b[offset + i] === ch.charCodeAt(0));
  const unsupported = (what: string): never => {
    throw new UnsupportedFileError(
      `${what} are not supported. Upload a PDF, Word (.docx), HTML, Markdown, text, CSV or JSON file.`,
    );
  };

  if (findAscii(b, "%PDF-", 1024) !== -1) return "pdf";
  if (starts(0x50, 0x4b, 0x03, 0x04)) return classifyZip(b);
  if (starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) unsupported("ZIP archives");
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) throw new UnsupportedFileError(UNSUPPORTED_OFFICE);

  if (starts(0x89, 0x50, 0x4e, 0x47)) unsupported("Images (PNG)");
  if (starts(0xff, 0xd8, 0xff)) unsupported("Images (JPEG)");
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) unsupported("Images (GIF)");
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) unsupported("Images (WebP)");
  if (ascii(0, "RIFF") && (ascii(8, "WAVE") || ascii(8, "AVI "))) unsupported("Audio and video files");
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) unsupported("Images (TIFF)");
  if (ascii(4, "ftyp")) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (/^(heic|heix|hevc|mif1|msf1|avif|avis)$/.test(brand)) unsupported("Images (HEIC/AVIF)");
    unsupported("Audio and video files");
  }
  if (ascii(0, "ID3") || ascii(0, "OggS") || ascii(0, "fLaC") || starts(0x1a, 0x45, 0xdf, 0xa3)) {
    unsupported("Audio and video files");
  }
  if (ascii(0, "MZ") && looksBinary(b)) unsupported("Programs (executables)");
  if (starts(0x7f, 0x45, 0x4c, 0x46)) unsupported("Programs (executables)");
  if (
    starts(0xfe, 0xed, 0xfa, 0xce) ||
    starts(0xfe, 0xed, 0xfa, 0xcf) ||
    starts(0xcf, 0xfa, 0xed, 0xfe) ||
    starts(0xce, 0xfa, 0xed, 0xfe) ||
    starts(0xca, 0xfe, 0xba, 0xbe)
  ) {
    unsupported("Programs (executables)");
  }
  if (starts(0x00, 0x61, 0x73, 0x6d)) unsupported("Programs (WebAssembly)");
  if (starts(0x1f, 0x8b)) unsupported("Compressed files (gzip)");
  if (ascii(0, "BZh") && looksBinary(b)) unsupported("Compressed files (bzip2)");
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) unsupported("Compressed files (xz)");
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) unsupported("Archives (7z)");
  if (ascii(0, "Rar!")) unsupported("Archives (RAR)");
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) unsupported("Compressed files (zstd)");
  if (ascii(0, "SQLite format 3")) unsupported("Database files");
  if (ascii(0, "{\\rtf")) unsupported("RTF documents");
  if (ascii(0, "%!PS")) unsupported("PostScript files");
  return null;
}

/**
 * A DOCX is a ZIP whose parts live under `word/`. Walks the local file headers present in
 * the head (and peeks into `[Content_Types].xml`), so other ZIP-based formats get a
 * message that names them.
 */
function classifyZip(b: Uint8Array): SourceKind {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const found = new Set<string>();
  let offset = 0;
  for (let entries = 0; entries < 2000 && offset + 30 <= b.length; entries++) {
    if (view.getUint32(offset, true) !== 0x04034b50) break;
    const flags = view.getUint16(offset + 6, true);
    const method = view.getUint16(offset + 8, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const nameEnd = offset + 30 + nameLength;
    if (nameEnd > b.length) break;
    const name = new TextDecoder().decode(b.subarray(offset + 30, nameEnd));
    const dataStart = nameEnd + extraLength;
    const sizeKnown = (flags & 0x08) === 0 || compressedSize > 0;
    const dataEnd = sizeKnown ? Math.min(b.length, dataStart + compressedSize) : b.length;

    if (name.startsWith("word/")) found.add("docx");
    else if (name.startsWith("xl/")) found.add("xlsx");
    else if (name.startsWith("ppt/")) found.add("pptx");
    else if (name === "[Content_Types].xml" || name === "mimetype") {
      const body = readZipEntryPrefix(b.subarray(dataStart, dataEnd), method);
      if (body.includes("wordprocessingml.document")) found.add("docx");
      else if (body.includes("spreadsheetml")) found.add("xlsx");
      else if (body.includes("presentationml")) found.add("pptx");
      else if (body.includes("opendocument")) found.add("odf");
      else if (body.includes("epub")) found.add("epub");
    }
    if (found.has("docx")) return "docx";
    if (!sizeKnown) break;
    offset = dataStart + compressedSize;
  }
  const message = found.has("xlsx")
    ? "Excel spreadsheets (.xlsx) are not supported. Export the sheet as CSV and upload that."
    : found.has("pptx")
      ? "PowerPoint presentations (.pptx) are not supported. Export it as PDF and upload that."
      : found.has("odf")
        ? "OpenDocument files are not supported. Save it as .docx or PDF and upload that."
        : found.has("epub")
          ? "EPUB books are not supported. Convert it to PDF and upload that."
          : "ZIP archives are not supported. Upload the documents inside it one by one.";
  throw new UnsupportedFileError(message);
}

function readZipEntryPrefix(data: Uint8Array, method: number): string {
  try {
    const raw =
      method === 0
        ? data
        : method === 8
          ? // Only a prefix is read: a bomb in the head cannot unpack more than this.
            inflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 })
          : new Uint8Array();
    return new TextDecoder().decode(raw.subarray(0, 8192));
  } catch {
    return "";
  }
}

function findAscii(b: Uint8Array, s: string, limit: number): number {
  const end = Math.min(b.length, limit) - s.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < s.length; j++) if (b[i + j] !== s.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** NUL bytes (outside UTF-16 text) or many control characters mean binary data. */
function looksBinary(b: Uint8Array): boolean {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return false;
  const n = Math.min(b.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  return control > n * 0.02;
}

// ---------------------------------------------------------------------------------------
// Text kinds

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

/** True when `s` is a syntactically valid beginning of a JSON object or array. */
export function isJsonPrefix(s: string): boolean {
  type State = "value" | "valueOrEnd" | "keyOrEnd" | "key" | "colon" | "commaOrEnd" | "done";
  const stack: string[] = [];
  let state: State = "value";
  let i = 0;
  const after = (): State => (stack.length === 0 ? "done" : "commaOrEnd");
  const skipWs = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\n" || s[i] === "\r" || s[i] === "\t")) i++;
  };
  /** Returns the index after the closing quote, s.length if cut off, or -1 if invalid. */
  const scanString = (): number => {
    let j = i + 1;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) j += 2;
      else if (c < 0x20) return -1;
      else j++;
    }
    return s.length;
  };
  while (true) {
    skipWs();
    if (i >= s.length) return stack.length > 0 || state === "done";
    const c = s[i]!;
    switch (state) {
      case "done":
        return false;
      case "value":
      case "valueOrEnd": {
        if (state === "valueOrEnd" && c === "]") {
          stack.pop();
          i++;
          state = after();
        } else if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          state = c === "{" ? "keyOrEnd" : "valueOrEnd";
        } else if (stack.length === 0) {
          return false;
        } else if (c === '"') {
          const end = scanString();
          if (end === -1) return false;
          if (end === s.length) return true;
          i = end;
          state = after();
        } else {
          const m = /-?\d[\d.eE+-]*|true|false|null/y;
          m.lastIndex = i;
          const hit = m.exec(s);
          if (hit) {
            i += hit[0].length;
            state = after();
          } else {
            const rest = s.slice(i);
            return ["true", "false", "null"].some((lit) => lit.startsWith(rest)) || rest === "-";
          }
        }
        break;
      }
      case "keyOrEnd":
      case "key": {
        if (state === "keyOrEnd" && c === "}") {
          stack.pop();
          i++;
          state = after();
        } else if (c === '"') {
          const end = scanString();
          if (end === -1) return false;
          if (end === s.length) return true;
          i = end;
          state = "colon";
        } else return false;
        break;
      }
      case "colon":
        if (c !== ":") return false;
        i++;
        state = "value";
        break;
      case "commaOrEnd": {
        const top = stack[stack.length - 1];
        if (c === ",") {
          i++;
          state = top === "{" ? "key" : "value";
        } else if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
          stack.pop();
          i++;
          state = after();
        } else return false;
        break;
      }
    }
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

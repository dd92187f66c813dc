/**
 * Decides what a file is from its first bytes, never from the client's name or
 * Content-Type. Binary formats are recognised by magic numbers (`binary.ts`, with ZIP-based
 * formats told apart in `zip.ts`); text formats, which have none, by sniffing their content
 * (`text.ts`).
 */
import { UnsupportedFileError } from "../errors";
import { decodeHead } from "../text-decode";
import type { SourceKind } from "../types";
import { detectBinaryKind, looksBinary } from "./binary";
import { sniffTextKind } from "./text";

export { sniffTextKind } from "./text";
export { isJsonPrefix } from "./json-prefix";

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

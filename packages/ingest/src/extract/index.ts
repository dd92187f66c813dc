/** `extract`: bytes of a known kind to sections of text with their pages and headings. */
import { ExtractionError } from "../errors";
import { charsetFromContentType, charsetFromHtmlMeta, decodeText } from "../text-decode";
import type { ExtractedDocument, SourceKind } from "../types";
import { extractCsv } from "./csv";
import { extractDocx } from "./docx";
import { extractHtml } from "./html";
import { extractJson } from "./json";
import { extractMarkdown } from "./markdown";
import { extractPdf } from "./pdf";
import { extractText } from "./text";

export { openPdf, extractPdf, type PdfReader, type OpenPdfOptions } from "./pdf";
export { extractHtml } from "./html";
export { extractMarkdown } from "./markdown";
export { extractCsv } from "./csv";
export { extractJson } from "./json";
export { extractDocx } from "./docx";
export { assertZipWithinLimits, DEFAULT_ZIP_LIMITS, type ZipLimits } from "./zip-limits";
export { extractText } from "./text";

export interface ExtractInput {
  bytes: Uint8Array;
  kind: SourceKind;
  /** Where the bytes came from (URL sources); used as a title fallback. */
  sourceUrl?: string;
  /** The HTTP Content-Type of a fetched URL; its charset helps decode text formats. */
  contentType?: string | null;
  /**
   * PDF only: hand `bytes`' buffer to the parser thread instead of copying it (one copy
   * less of a large file). `bytes` is detached (empty) afterwards.
   */
  transferBytes?: boolean;
}

/** Throws ExtractionError (non-retryable, readable message) for corrupt, encrypted or empty input. */
export async function extract(input: ExtractInput): Promise<ExtractedDocument> {
  const { bytes, kind } = input;
  if (bytes.length === 0) throw new ExtractionError("The file is empty.", { code: "empty_file" });

  const declaredCharset = charsetFromContentType(input.contentType);
  const text = () => decodeText(bytes, { declaredCharset }).text;
  let doc: ExtractedDocument;
  switch (kind) {
    case "pdf":
      doc = await extractPdf(bytes, input.transferBytes ? { transferBytes: true } : {});
      break;
    case "docx":
      doc = await extractDocx(bytes);
      break;
    case "html":
      doc = extractHtml(decodeText(bytes, { declaredCharset: declaredCharset ?? charsetFromHtmlMeta(bytes) }).text);
      break;
    case "markdown":
      doc = extractMarkdown(text());
      break;
    case "text":
      doc = extractText(text());
      break;
    case "csv":
      doc = extractCsv(text());
      break;
    case "json":
      doc = extractJson(text());
      break;
    default: {
      const unknownKind: never = kind;
      throw new ExtractionError(`Unsupported document kind: ${String(unknownKind)}.`);
    }
  }
  const sections = doc.sections.filter((s) => s.text.trim() !== "");
  if (sections.length === 0) {
    throw new ExtractionError("The document contains no text to index.", { code: "empty_file" });
  }
  const title = doc.title ?? titleFromUrl(input.sourceUrl);
  return title ? { title, sections } : { sections };
}

function titleFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.hostname}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return undefined;
  }
}

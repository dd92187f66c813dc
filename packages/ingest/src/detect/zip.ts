/**
 * Tells a DOCX from the other ZIP-based formats using only the head of the file: the
 * local file headers it holds, and a bounded peek into `[Content_Types].xml` or `mimetype`.
 */
import { inflateRawSync, constants as zlibConstants } from "node:zlib";
import { UnsupportedFileError } from "../errors";
import type { SourceKind } from "../types";

/**
 * A DOCX is a ZIP whose parts live under `word/`. Walks the local file headers present in
 * the head (and peeks into `[Content_Types].xml`), so other ZIP-based formats get a
 * message that names them.
 */
export function classifyZip(b: Uint8Array): SourceKind {
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

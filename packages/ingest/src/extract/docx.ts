/** DOCX via mammoth: Word heading styles become h1-h6, then the HTML path keeps them. */
import mammoth from "mammoth";
import { ExtractionError } from "../errors";
import type { ExtractedDocument } from "../types";
import { extractHtml } from "./html";

export async function extractDocx(bytes: Uint8Array): Promise<ExtractedDocument> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images are not indexed; skip base64-encoding them into the HTML.
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
  } catch (cause) {
    throw new ExtractionError(
      "The file is not a valid Word (.docx) document; it may be damaged. Open and re-save it, then upload again.",
      { cause, code: "corrupt_file" },
    );
  }
  const doc = extractHtml(`<!doctype html><html><body>${html}</body></html>`, { keepPageChrome: true });
  const firstHeading = doc.sections.find((s) => s.headingPath?.length)?.headingPath?.[0];
  return firstHeading && !doc.title ? { title: firstHeading, sections: doc.sections } : doc;
}

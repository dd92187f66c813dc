/**
 * DOCX via mammoth: Word heading styles become h1-h6, then the HTML path keeps them. The
 * zip is checked against the zip bomb limits (entry count, unpacked size) before mammoth
 * unpacks anything.
 */
import mammoth from "mammoth";
import { ExtractionError } from "../errors";
import type { ExtractedDocument } from "../types";
import { extractHtml } from "./html";
import { assertZipWithinLimits, DEFAULT_ZIP_LIMITS, type ZipLimits } from "./zip-limits";

const NOT_A_DOCX =
  "The file is not a valid Word (.docx) document; it may be damaged. Open and re-save it, then upload again.";

export async function extractDocx(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ExtractedDocument> {
  try {
    await assertZipWithinLimits(bytes, "The Word document", limits);
  } catch (error) {
    if (error instanceof ExtractionError && error.code === "corrupt_file") {
      throw new ExtractionError(NOT_A_DOCX, { cause: error, code: "corrupt_file" });
    }
    throw error;
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images are not indexed; skip base64-encoding them into the HTML.
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
  } catch (cause) {
    throw new ExtractionError(NOT_A_DOCX, { cause, code: "corrupt_file" });
  }
  const doc = extractHtml(`<!doctype html><html><body>${html}</body></html>`, { keepPageChrome: true });
  const firstHeading = doc.sections.find((s) => s.headingPath?.length)?.headingPath?.[0];
  return firstHeading && !doc.title ? { title: firstHeading, sections: doc.sections } : doc;
}

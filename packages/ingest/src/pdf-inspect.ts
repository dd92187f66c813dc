/**
 * Cheap checks on a PDF's raw bytes that an upload handler can run on the first and last
 * kilobytes without parsing the file. They cannot tell a password-protected PDF from one
 * that is only permission-restricted (which opens without a password): extraction makes
 * that call, so `encrypted` is information, not a reason to refuse.
 */
import { ExtractionError } from "./errors";

export interface PdfInspection {
  /** The trailer (or the linearised first-page trailer) references an /Encrypt dictionary. */
  encrypted: boolean;
  /** The header `%PDF-` was found. */
  hasHeader: boolean;
  /** An `%%EOF` marker is near the end; undefined when no tail was given. */
  hasEndMarker: boolean | undefined;
}

/** Pass at least this many trailing bytes as `tail`. */
export const PDF_TAIL_BYTES = 4096;

export function inspectPdf(head: Uint8Array, tail?: Uint8Array): PdfInspection {
  const headText = latin1(head.subarray(0, 65_536));
  const tailText = tail ? latin1(tail.subarray(Math.max(0, tail.length - PDF_TAIL_BYTES))) : "";
  return {
    encrypted: /\/Encrypt\s*\d+\s+\d+\s+R/.test(tailText) || /\/Encrypt\s*\d+\s+\d+\s+R/.test(headText),
    hasHeader: headText.slice(0, 1024).includes("%PDF-"),
    hasEndMarker: tail ? tailText.slice(-1024).includes("%%EOF") : undefined,
  };
}

export function isEncryptedPdf(head: Uint8Array, tail?: Uint8Array): boolean {
  return inspectPdf(head, tail).encrypted;
}

/** Throws a readable ExtractionError when the bytes cannot be a complete PDF. */
export function assertPdfLooksComplete(head: Uint8Array, tail: Uint8Array): void {
  const inspection = inspectPdf(head, tail);
  if (!inspection.hasHeader) {
    throw new ExtractionError("The file is not a valid PDF.", { code: "corrupt_file" });
  }
  if (inspection.hasEndMarker === false) {
    throw new ExtractionError(
      "The PDF is incomplete or damaged (its end-of-file marker is missing). Re-export or re-download it and upload again.",
      { code: "corrupt_file" },
    );
  }
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

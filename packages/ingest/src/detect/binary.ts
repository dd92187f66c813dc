/**
 * Binary formats by magic number: the one supported binary kind it can settle alone (PDF),
 * ZIP handed to the ZIP classifier, and every other recognised format refused with a
 * message that names it, so the uploader learns what to send instead.
 */
import { UnsupportedFileError } from "../errors";
import type { SourceKind } from "../types";
import { classifyZip } from "./zip";

const UNSUPPORTED_OFFICE =
  "Legacy Microsoft Office files (.doc, .xls, .ppt) and password-protected Office documents are not supported. Save it as an unprotected .docx or PDF and upload that.";

/** Binary signatures: a supported kind, or a thrown UnsupportedFileError naming the format. */
export function detectBinaryKind(b: Uint8Array): SourceKind | null {
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

function findAscii(b: Uint8Array, s: string, limit: number): number {
  const end = Math.min(b.length, limit) - s.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < s.length; j++) if (b[i + j] !== s.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** NUL bytes (outside UTF-16 text) or many control characters mean binary data. */
export function looksBinary(b: Uint8Array): boolean {
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

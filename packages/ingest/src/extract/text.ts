/** Plain text (already decoded, see text-decode): line endings normalised, one section. */
import type { ExtractedDocument } from "../types";

export function extractText(source: string): ExtractedDocument {
  const text = source
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trim();
  return { sections: text === "" ? [] : [{ text }] };
}

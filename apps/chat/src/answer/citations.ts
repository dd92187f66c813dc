/**
 * Citation checking: an answer's [n] markers must name a source that was actually
 * retrieved for it. Markers pointing anywhere else are removed from the answer and never
 * stored, so every citation a person sees leads to a real passage.
 */
const MARKER = /\[(\d{1,3})\]/g;

export interface VerifiedAnswer {
  text: string;
  /** Cited source numbers, in order of first appearance. */
  cited: number[];
  /** Markers removed because no such source was retrieved. */
  dropped: number[];
}

export function verifyCitations(answer: string, retrievedCount: number): VerifiedAnswer {
  const cited: number[] = [];
  const dropped: number[] = [];
  const text = answer
    .replace(MARKER, (marker, digits: string) => {
      const n = Number(digits);
      if (n >= 1 && n <= retrievedCount) {
        if (!cited.includes(n)) cited.push(n);
        return marker;
      }
      if (!dropped.includes(n)) dropped.push(n);
      return "";
    })
    .replace(/[ \t]+([.,;:!?])/g, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
  return { text, cited, dropped };
}

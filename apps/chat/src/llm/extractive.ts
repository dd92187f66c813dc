/**
 * The offline responder: with no LLM configured, the answer is the sources' sentences
 * that best match the question, each followed by its [n] marker, so the citations work
 * exactly as for a generated answer. It never invents text.
 */
import { countTokens } from "./tokens";
import type { Generation, GenerationRequest, Responder } from "./types";

const STOPWORDS = new Set(
  "a an and are as at be by can do does for from had has have how i in is it its me my of on or our so that the their then there these this to was we were what when where which who whom why will with would you your".split(
    " ",
  ),
);

/** Lowercase words without stopwords, crudely stemmed so "days" meets "day". */
export function keywords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map((w) => (w.length > 4 ? w.replace(/(ies|es|s|ing|ed)$/u, "") : w));
}

const MARKDOWN_HEADING = /^\s{0,3}#{1,6}\s/;
const LIST_OR_QUOTE_MARKER = /^\s*(?:[-*+]|\d+[.)]|>)\s+/;

/**
 * Prose sentences of a chunk. Chunks keep their Markdown structure, so heading lines are
 * dropped (otherwise "## Warranty" fuses with the next sentence into the quote) and list
 * or quote markers are stripped; paragraphs are split apart before sentence segmentation.
 */
export function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) paragraphs.push(current.join(" "));
    current = [];
  };
  for (const line of text.split("\n")) {
    if (!line.trim() || MARKDOWN_HEADING.test(line)) {
      flush();
      continue;
    }
    if (LIST_OR_QUOTE_MARKER.test(line)) flush();
    current.push(line.replace(LIST_OR_QUOTE_MARKER, "").trim());
  }
  flush();
  return paragraphs
    .flatMap((paragraph) => [...segmenter.segment(paragraph.replace(/\s+/g, " "))])
    .map((s) => s.segment.trim())
    .filter((s) => s.length >= 3);
}

export const EXTRACTIVE_PREFIX = "Here is what the documents say:";

export interface ExtractiveOptions {
  /** Sentences quoted at most. */
  maxSentences?: number;
}

export function createExtractiveResponder({ maxSentences = 3 }: ExtractiveOptions = {}): Responder {
  return {
    provider: "local",
    model: "extractive-v1",
    extractive: true,
    async generate(request: GenerationRequest, onToken): Promise<Generation> {
      const terms = new Set(keywords(request.question));
      const candidates: { sentence: string; source: number; score: number; order: number }[] = [];
      request.sources.forEach((source, s) => {
        splitSentences(source.content).forEach((sentence, i) => {
          const words = keywords(sentence);
          const hits = new Set(words.filter((w) => terms.has(w))).size;
          if (hits === 0) return;
          // Coverage of the question dominates; the source's retrieval score and rank
          // break ties so the best-ranked source's sentence comes first.
          const score = hits / Math.max(terms.size, 1) + 0.2 * source.score - 0.01 * s;
          candidates.push({ sentence, source: source.index, score, order: s * 1000 + i });
        });
      });
      const chosen = candidates.sort((a, b) => b.score - a.score).slice(0, maxSentences);
      if (chosen.length === 0 && request.sources[0]) {
        // No sentence shares a word with the question: quote the best source's opening.
        const first = splitSentences(request.sources[0].content)[0];
        if (first) chosen.push({ sentence: first, source: request.sources[0].index, score: 0, order: 0 });
      }
      const body = chosen.map((c) => `${c.sentence.replace(/\s*\[\d+\]\s*$/u, "")} [${c.source}]`).join(" ");
      const text = chosen.length > 0 ? `${EXTRACTIVE_PREFIX} ${body}` : "";
      for (const piece of text.match(/\s*\S+/g) ?? []) onToken(piece);
      return {
        text,
        inputTokens: countTokens(request.question) + request.sources.reduce((n, s) => n + countTokens(s.content), 0),
        outputTokens: countTokens(text),
      };
    },
  };
}

/**
 * What the support gate knows about a retrieved passage and the question, as numbers
 * (support.ts weighs them). Every feature is lexical and computed per bot: the question's
 * words (stemmed like the chunks), how rare each is in the bot (IDF), and where they occur
 * in the passage, sentence by sentence. Nothing depends on the documents' subject.
 */
import type { QuestionCoverage } from "@docent/db/queries/answer-support";

/**
 * Words that frame a question rather than name its subject ("how much", "what kind",
 * "is it called"), as the english configuration stems them; the answer rarely repeats
 * them, so they carry no weight.
 */
const QUESTION_FRAMING = new Set("much mani long often far kind type name call mean happen get tell know say".split(" "));

export interface WeightedTerm {
  term: string;
  /** Share of the question's weight, 0-1. */
  weight: number;
  /** The word's IDF as a share of the most a word can weigh in the bot, 0-1. */
  rarity: number;
  /** The bot has no chunk holding the word. */
  unseen: boolean;
  chunkIds: string[];
  positions: number[];
}

/** Each question word's share of the question's weight. */
export function weighTerms({ terms, chunkCount }: QuestionCoverage): WeightedTerm[] {
  // A word the bot never uses weighs as much as one it uses once: in a small bot an
  // unseen word would otherwise outweigh everything the passage does share.
  const n = Math.max(chunkCount, 1);
  const unseen = unseenIdf(n);
  const weighted = terms
    .filter((t) => !QUESTION_FRAMING.has(t.term))
    .map((t) => ({ term: t.term, weight: Math.min(t.idf, unseen), rarity: Math.min(t.idf, unseen) / unseen, unseen: t.idf > unseen, chunkIds: t.chunkIds, positions: t.positions }));
  const total = weighted.reduce((sum, t) => sum + t.weight, 0);
  return total > 0 ? weighted.map((t) => ({ ...t, weight: t.weight / total })) : [];
}

/** The IDF of a word held by one chunk of `n`: the most a word can weigh. */
const unseenIdf = (n: number) => Math.log(1 + (n - 1 + 0.5) / (1 + 0.5));

/** The features of one passage, in `FEATURES` order. */
export type PassageFeatures = Record<(typeof FEATURES)[number], number>;

export const FEATURES = [
  /** Share of the question's weight the passage holds (the former gate on its own). */
  "coverage",
  /** ...held by its best single sentence. */
  "sentence",
  /** ...held by its best two neighbouring sentences. */
  "twoSentences",
  /** Share of the question's neighbouring word pairs found side by side in one sentence. */
  "phrases",
  /** Share of the question's weight held by words the bot never uses. */
  "unseen",
  /** ln of the number of weighted question words. */
  "length",
  /** ln(1 + the passage's question words, each counted by its rarity in the bot, 0-1): how much rare evidence it holds, whatever the question's length. */
  "mass",
] as const;

interface Sentence {
  terms: Map<string, number[]>;
}

/** The sentences of each chunk, with the question words each holds and where. */
function sentencesByChunk(coverage: QuestionCoverage): Map<string, Sentence[]> {
  const chunks = new Map<string, Sentence[]>();
  for (const hit of coverage.sentences) {
    const list = chunks.get(hit.chunkId) ?? [];
    chunks.set(hit.chunkId, list);
    const s = (list[hit.sentence - 1] ??= { terms: new Map() });
    s.terms.set(hit.term, hit.positions);
  }
  return chunks;
}

/** Neighbouring pairs of question words (at most one stop word between them), weighted by their lighter word. */
function questionPairs(terms: WeightedTerm[]) {
  const at: { t: WeightedTerm; p: number }[] = terms.flatMap((t) => t.positions.map((p) => ({ t, p }))).sort((a, b) => a.p - b.p);
  const pairs: { a: string; b: string; weight: number }[] = [];
  for (let i = 1; i < at.length; i++) {
    const [x, y] = [at[i - 1]!, at[i]!];
    if (y.p - x.p <= 2 && x.t !== y.t) pairs.push({ a: x.t.term, b: y.t.term, weight: Math.min(x.t.weight, y.t.weight) });
  }
  return pairs;
}

/** Whether word `b` follows word `a` within two places in the sentence. */
const follows = (s: Sentence, a: string, b: string) => {
  const pa = s.terms.get(a);
  const pb = s.terms.get(b);
  return !!pa && !!pb && pa.some((x) => pb.some((y) => y - x >= 1 && y - x <= 3));
};

const weightIn = (terms: WeightedTerm[], has: (t: WeightedTerm) => boolean) => terms.reduce((sum, t) => sum + (has(t) ? t.weight : 0), 0);

/** Features of each retrieved chunk, by chunk id, in the order of `chunkIds` (retrieval order). */
export function passageFeatures(chunkIds: string[], coverage: QuestionCoverage): Map<string, PassageFeatures> {
  const terms = weighTerms(coverage);
  const out = new Map<string, PassageFeatures>();
  if (terms.length === 0) return out;
  const sentences = sentencesByChunk(coverage);
  const pairs = questionPairs(terms);
  const pairWeight = pairs.reduce((sum, p) => sum + p.weight, 0);
  const unseen = weightIn(terms, (t) => t.unseen);
  for (const id of chunkIds) {
    const inChunk = (t: WeightedTerm) => t.chunkIds.includes(id);
    const all = sentences.get(id) ?? [];
    const list = all.filter(Boolean);
    let twoSentences = 0;
    for (let k = 0; k < all.length; k++) {
      const [a, b] = [all[k], all[k + 1]];
      if (a || b) twoSentences = Math.max(twoSentences, weightIn(terms, (t) => !!a?.terms.has(t.term) || !!b?.terms.has(t.term)));
    }
    const matched = pairs.filter((p) => list.some((s) => follows(s, p.a, p.b)));
    out.set(id, {
      coverage: weightIn(terms, inChunk),
      sentence: Math.max(0, ...list.map((s) => weightIn(terms, (t) => s.terms.has(t.term)))),
      twoSentences,
      phrases: pairWeight > 0 ? matched.reduce((sum, p) => sum + p.weight, 0) / pairWeight : 0,
      unseen,
      length: Math.log(terms.length),
      mass: Math.log1p(terms.filter(inChunk).reduce((sum, t) => sum + t.rarity, 0)),
    });
  }
  return out;
}

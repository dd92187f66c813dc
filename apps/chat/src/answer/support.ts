/**
 * Does a retrieved passage support the question? Strict mode (and the offline reader)
 * answer only from passages that do. A passage's support is the share of the question's
 * IDF weight it covers: every question word the passage contains adds its weight, words
 * the bot never uses count with the highest weight. Sharing one common word with the
 * question is therefore far from enough, while a passage holding the question's rare
 * words passes even when a few common ones are missing.
 *
 * With a semantic embedder (any but the offline lexical one), a passage also counts as
 * supporting when its cosine similarity reaches `minSimilarity`: paraphrases share
 * meaning without sharing words. The offline embedder hashes words, so its similarity
 * says nothing the lexical measure does not, and it is not used for this.
 */
import type { QuestionCoverage } from "@docent/db/queries/answer-support";
import type { RetrievedChunk } from "../retrieval/types";

export interface SupportPolicy {
  /** Least share of the question's IDF weight a passage must cover (CHAT_MIN_SUPPORT). */
  minSupport: number;
  /** Least cosine similarity from a semantic embedder (CHAT_MIN_RELEVANT_SIMILARITY). */
  minSimilarity: number;
}

/** The offline embedders match words, not meaning. */
export const isLexicalEmbedder = (model: string | null) => model === null || model.startsWith("local:");

/**
 * Words that frame a question rather than name its subject ("how much", "what kind",
 * "is it called"), as the english configuration stems them; the answer rarely repeats
 * them, so they carry no weight.
 */
const QUESTION_FRAMING = new Set(
  "much mani long often far kind type name call mean happen get tell know say".split(" "),
);

/** Each question word's share of the question's weight. */
function weighTerms({ terms, chunkCount }: QuestionCoverage) {
  // A word the bot never uses weighs as much as one it uses once: in a small bot an
  // unseen word would otherwise outweigh everything the passage does share.
  const n = Math.max(chunkCount, 1);
  const unseen = Math.log(1 + (n - 1 + 0.5) / (1 + 0.5));
  const weighted = terms.filter((t) => !QUESTION_FRAMING.has(t.term)).map((t) => ({ ...t, weight: Math.min(t.idf, unseen) }));
  const total = weighted.reduce((sum, t) => sum + t.weight, 0);
  return total > 0 ? weighted.map((t) => ({ ...t, weight: t.weight / total })) : [];
}

/** Support of each chunk, 0-1, by chunk id. A question with no content words is supported by nothing. */
export function lexicalSupport(coverage: QuestionCoverage): Map<string, number> {
  const support = new Map<string, number>();
  for (const t of weighTerms(coverage)) {
    for (const id of t.chunkIds) support.set(id, (support.get(id) ?? 0) + t.weight);
  }
  return support;
}

/**
 * The chunks that support the question, in retrieval order: those reaching `minSupport`,
 * then (a question may have two parts) those reaching half of it that cover a part of
 * the question the first ones leave out.
 */
export function supportingChunks(
  chunks: RetrievedChunk[],
  coverage: QuestionCoverage,
  embeddingModel: string | null,
  policy: SupportPolicy,
): RetrievedChunk[] {
  const terms = weighTerms(coverage);
  const support = lexicalSupport(coverage);
  const semantic = !isLexicalEmbedder(embeddingModel);
  const of = (c: RetrievedChunk) => support.get(c.chunkId) ?? 0;
  const primary = new Set(
    chunks.filter((c) => of(c) >= policy.minSupport || (semantic && (c.vector?.score ?? 0) >= policy.minSimilarity)),
  );
  if (primary.size === 0) return [];
  const covered = new Set(terms.filter((t) => t.chunkIds.some((id) => [...primary].some((c) => c.chunkId === id))).map((t) => t.term));
  for (const c of chunks) {
    if (primary.has(c) || of(c) < policy.minSupport / 2) continue;
    const adds = terms.filter((t) => !covered.has(t.term) && t.chunkIds.includes(c.chunkId));
    if (adds.reduce((sum, t) => sum + t.weight, 0) >= COMPLEMENT_MIN) {
      primary.add(c);
      for (const t of adds) covered.add(t.term);
    }
  }
  return chunks.filter((c) => primary.has(c));
}

/** Least share of the question a second-tier passage must add to be kept. */
const COMPLEMENT_MIN = 0.15;

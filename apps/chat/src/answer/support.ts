/**
 * Does a retrieved passage support the question? Strict mode (and the offline reader)
 * answer only from passages that do. Each passage gets a support score, 0-1: a small
 * logistic model (support-model.ts) over lexical evidence (support-features.ts): how much
 * of the question's IDF-weighted words the passage, its best sentence and its best two
 * sentences hold, how many of the question's word pairs it has side by side, how much
 * rare evidence it holds, how much of the question the bot never speaks of at all. Sharing common words with the question is
 * far from enough; a passage holding the question's rare words, close together, passes
 * even when a few common ones are missing.
 *
 * With a semantic embedder (any but the offline lexical one), a passage also counts as
 * supporting when its cosine similarity reaches `minSimilarity`: paraphrases share
 * meaning without sharing words. The offline embedder hashes words, so its similarity
 * says nothing the lexical measure does not, and it is not used for this.
 */
import type { QuestionCoverage } from "@docent/db/queries/answer-support";
import type { RetrievedChunk } from "../retrieval/types";
import { passageFeatures, weighTerms } from "./support-features";
import { supportScore } from "./support-model";

export interface SupportPolicy {
  /** Least support score, 0-1, a passage must reach (CHAT_MIN_SUPPORT). */
  minSupport: number;
  /** Least cosine similarity from a semantic embedder (CHAT_MIN_RELEVANT_SIMILARITY). */
  minSimilarity: number;
}

/** The offline embedders match words, not meaning. */
export const isLexicalEmbedder = (model: string | null) => model === null || model.startsWith("local:");

/** Support score of each chunk, 0-1, by chunk id. A question with no content words is supported by nothing. */
export function supportScores(chunkIds: string[], coverage: QuestionCoverage): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [id, f] of passageFeatures(chunkIds, coverage)) scores.set(id, supportScore(f));
  return scores;
}

/**
 * The chunks that support the question, in retrieval order: those reaching `minSupport`,
 * then (a question may have two parts) those holding a good share of its words that
 * cover a part of the question the first ones leave out. Only the first decide whether
 * the question is answered at all.
 */
export function supportingChunks(
  chunks: RetrievedChunk[],
  coverage: QuestionCoverage,
  embeddingModel: string | null,
  policy: SupportPolicy,
): RetrievedChunk[] {
  const terms = weighTerms(coverage);
  const features = passageFeatures(chunks.map((c) => c.chunkId), coverage);
  const semantic = !isLexicalEmbedder(embeddingModel);
  const scoreOf = (c: RetrievedChunk) => {
    const f = features.get(c.chunkId);
    return f ? supportScore(f) : 0;
  };
  const primary = new Set(
    chunks.filter((c) => scoreOf(c) >= policy.minSupport || (semantic && (c.vector?.score ?? 0) >= policy.minSimilarity)),
  );
  if (primary.size === 0) return [];
  const covered = new Set(terms.filter((t) => t.chunkIds.some((id) => [...primary].some((c) => c.chunkId === id))).map((t) => t.term));
  for (const c of chunks) {
    if (primary.has(c) || (features.get(c.chunkId)?.coverage ?? 0) < COMPLEMENT_COVERAGE) continue;
    const adds = terms.filter((t) => !covered.has(t.term) && t.chunkIds.includes(c.chunkId));
    if (adds.reduce((sum, t) => sum + t.weight, 0) >= COMPLEMENT_MIN) {
      primary.add(c);
      for (const t of adds) covered.add(t.term);
    }
  }
  return chunks.filter((c) => primary.has(c));
}

/** Least share of the question's weight a second-tier passage must hold... */
const COMPLEMENT_COVERAGE = 0.3;
/** ...and add to what the first ones hold, to be kept. */
const COMPLEMENT_MIN = 0.15;

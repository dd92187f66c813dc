/**
 * Weighted reciprocal rank fusion: score(d) = sum over legs of w_leg / (k + rank_leg(d)).
 * Ranks, not raw scores, are fused, so BM25 and cosine need no common scale; the weights
 * let a strong leg (BM25 with the offline embedder) dominate a weak one.
 */
export const RRF_K = 60;

export interface LegHit {
  id: string;
  /** The leg's score normalised to 0-1 (cosine similarity; BM25 over its maximum). */
  score: number;
}

export interface LegRank {
  rank: number;
  score: number;
}

export interface FusedHit {
  id: string;
  /** RRF divided by the best possible RRF (rank 1 in every weighted leg), 0-1. */
  score: number;
  rrf: number;
  vector?: LegRank;
  keyword?: LegRank;
}

export interface FusionWeights {
  vector: number;
  keyword: number;
}

export function fuseReciprocalRank(
  legs: { vector: LegHit[]; keyword: LegHit[] },
  weights: FusionWeights,
  k = RRF_K,
): FusedHit[] {
  const byId = new Map<string, FusedHit>();
  for (const leg of ["vector", "keyword"] as const) {
    const weight = weights[leg];
    legs[leg].forEach((hit, index) => {
      const rank = index + 1;
      const entry = byId.get(hit.id) ?? { id: hit.id, score: 0, rrf: 0 };
      entry[leg] = { rank, score: hit.score };
      entry.rrf += weight / (k + rank);
      byId.set(hit.id, entry);
    });
  }
  const best = (weights.vector + weights.keyword) / (k + 1);
  const fused = [...byId.values()];
  for (const hit of fused) hit.score = best > 0 ? hit.rrf / best : 0;
  // Ties (equal RRF) go to the better rank in the heavier leg, then the id, so results
  // are stable between runs.
  const heavier = weights.keyword > weights.vector ? "keyword" : "vector";
  return fused.sort(
    (a, b) =>
      b.rrf - a.rrf ||
      (a[heavier]?.rank ?? Number.POSITIVE_INFINITY) - (b[heavier]?.rank ?? Number.POSITIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
}

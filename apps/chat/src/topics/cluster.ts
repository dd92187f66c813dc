/**
 * Clustering of unassigned questions for "suggested topics": average-linkage
 * agglomerative clustering on cosine similarity, merging while the two closest clusters'
 * mean pairwise similarity is at least `minSimilarity` (so the number of clusters follows
 * from the data, not a k chosen beforehand), and each cluster's top terms by tf-idf
 * (share of the cluster's questions using a term, against how common it is across all
 * questions considered). Deterministic: same input, same clusters.
 *
 * Cost is O(n^2) memory and O(n^3) time in the worst case, so callers cap n (a few
 * hundred questions: well under a second).
 */

export interface Cluster {
  /** Indexes into the input, in input order. */
  members: number[];
}

function unit(v: readonly number[]): Float64Array {
  let n = 0;
  for (const x of v) n += x * x;
  const out = new Float64Array(v.length);
  const len = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / len;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function agglomerate(embeddings: readonly (readonly number[])[], minSimilarity: number): Cluster[] {
  const n = embeddings.length;
  const vectors = embeddings.map(unit);
  // sim[i][j]: mean pairwise similarity between clusters i and j (Lance-Williams update).
  const sim = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[i]![j] = sim[j]![i] = dot(vectors[i]!, vectors[j]!);
  const members: (number[] | null)[] = Array.from({ length: n }, (_, i) => [i]);
  for (;;) {
    let best = -Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!members[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!members[j]) continue;
        if (sim[i]![j]! > best) {
          best = sim[i]![j]!;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || best < minSimilarity) break;
    const a = members[bi]!.length;
    const b = members[bj]!.length;
    for (let k = 0; k < n; k++) {
      if (!members[k] || k === bi || k === bj) continue;
      const merged = (a * sim[bi]![k]! + b * sim[bj]![k]!) / (a + b);
      sim[bi]![k] = sim[k]![bi] = merged;
    }
    members[bi] = [...members[bi]!, ...members[bj]!].sort((x, y) => x - y);
    members[bj] = null;
  }
  return members.filter((m): m is number[] => m !== null).map((m) => ({ members: m }));
}

const STOPWORDS = new Set(
  ("a an and are as at be but by can could do does did for from has have how i if in into is it its my me of on or our " +
    "should so that the their them then there these they this to was we were what when where which who why will with " +
    "would you your not no yes get")
    .split(" "),
);

export function terms(text: string): string[] {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length > 1 && !STOPWORDS.has(w)))];
}

/**
 * The terms that mark a cluster: tf = share of the cluster's questions containing the
 * term, idf = ln((1 + N) / (1 + df)) + 1 over all N questions considered; terms used by
 * a single question of a larger cluster are left out.
 */
export function topTerms(texts: readonly string[], cluster: readonly number[], limit: number): string[] {
  const docs = texts.map(terms);
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d) df.set(t, (df.get(t) ?? 0) + 1);
  const inCluster = new Map<string, number>();
  for (const i of cluster) for (const t of docs[i]!) inCluster.set(t, (inCluster.get(t) ?? 0) + 1);
  const minCount = cluster.length > 1 ? 2 : 1;
  return [...inCluster]
    .filter(([, c]) => c >= minCount)
    .map(([t, c]) => ({ t, score: (c / cluster.length) * (Math.log((1 + texts.length) / (1 + df.get(t)!)) + 1) }))
    .sort((x, y) => y.score - x.score || x.t.localeCompare(y.t))
    .slice(0, limit)
    .map((x) => x.t);
}

/**
 * Groups questions by the similarity of their embeddings: greedy centroid clustering.
 * Questions are taken most recent first; each joins the group whose centroid is most
 * similar (cosine) when that similarity reaches `threshold`, otherwise starts a group.
 * Deterministic for a given input order; O(questions x groups), fine for the inbox's
 * at most 1 000 questions. Groups come back largest first, then most recent.
 */
export interface Groupable {
  id: string;
  at: Date;
  embedding: number[];
}

export function groupQuestions<T extends Groupable>(items: T[], threshold: number): { members: T[] }[] {
  const ordered = [...items].sort((a, b) => b.at.getTime() - a.at.getTime() || a.id.localeCompare(b.id));
  const groups: { members: T[]; sum: number[]; norm: number; last: number }[] = [];
  for (const item of ordered) {
    const v = item.embedding;
    const vNorm = Math.hypot(...v) || 1;
    let best = -1;
    let bestSim = -Infinity;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * group.sum[i]!;
      const sim = dot / (vNorm * (group.norm || 1));
      if (sim > bestSim) {
        bestSim = sim;
        best = g;
      }
    }
    if (best >= 0 && bestSim >= threshold) {
      const group = groups[best]!;
      group.members.push(item);
      for (let i = 0; i < v.length; i++) group.sum[i]! += v[i]! / vNorm;
      group.norm = Math.hypot(...group.sum);
    } else {
      const sum = v.map((x) => x / vNorm);
      groups.push({ members: [item], sum, norm: Math.hypot(...sum), last: item.at.getTime() });
    }
  }
  return groups
    .sort((a, b) => b.members.length - a.members.length || b.last - a.last)
    .map((g) => ({ members: g.members }));
}

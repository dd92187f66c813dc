/**
 * Neighbouring context: before the prompt is built, each source passage may be widened
 * with the chunks around it in its document (`neighbours` either side) and the rest of
 * its section (same heading path), so a model reads a whole procedure or table rather
 * than the fragment retrieval found. Passages are widened best first, nearest chunks
 * first (the following one before the preceding one at equal distance: steps continue
 * after the step that matched), while the extra tokens stay within `maxTokens` for the
 * whole prompt; a chunk is never given twice (not as another source, not to two sources),
 * and the text stays in document order with the overlap between consecutive chunks said
 * once. Citations still name the retrieved chunk; only the text the model reads grows.
 */
import type { Database } from "@docent/db/client";
import type { RagConfig } from "@docent/contracts/json";
import { getNeighbourChunks, type NeighbourChunk } from "@docent/db/queries/neighbour-chunks";
import type { RetrievedChunk } from "../retrieval/types";

/** Farthest a section may reach from its retrieved chunk, in chunks (the budget usually stops sooner). */
export const MAX_SECTION_SPAN = 40;
const GAP = "\n[…]\n";

export type ContextSettings = RagConfig["context"];

export const contextEnabled = (c: ContextSettings | undefined): c is ContextSettings =>
  Boolean(c && c.maxTokens > 0 && (c.neighbours > 0 || c.sameSection));

interface Piece {
  chunkIndex: number;
  content: string;
  charStart: number | null;
  charEnd: number | null;
}

const pieceOf = (c: { chunkIndex: number; content: string; metadata?: { charStart?: number; charEnd?: number } }): Piece => {
  const { charStart, charEnd } = c.metadata ?? {};
  // Offsets locate the text only when the content is that span (CSV chunks repeat a header).
  const exact = charStart !== undefined && charEnd !== undefined && charEnd - charStart === c.content.length;
  return { chunkIndex: c.chunkIndex, content: c.content, charStart: exact ? charStart : null, charEnd: exact ? charEnd : null };
};

/** Joins pieces in document order, saying the overlap of consecutive chunks once and marking gaps. */
export function joinPieces(pieces: Piece[]): string {
  const sorted = [...pieces].sort((a, b) => a.chunkIndex - b.chunkIndex);
  let text = "";
  let previous: Piece | null = null;
  for (const piece of sorted) {
    if (!previous) {
      text = piece.content;
    } else if (piece.chunkIndex !== previous.chunkIndex + 1) {
      text += GAP + piece.content;
    } else if (previous.charEnd !== null && piece.charStart !== null && piece.charStart < previous.charEnd) {
      text += piece.content.slice(Math.min(previous.charEnd - piece.charStart, piece.content.length));
    } else {
      text += "\n" + piece.content;
    }
    previous = piece;
  }
  return text;
}

/**
 * Chooses, per source, the neighbours to add within the budget and returns the widened
 * text by chunk id (sources left as they are are absent).
 */
export function widen(sources: RetrievedChunk[], neighbours: NeighbourChunk[], settings: ContextSettings): Map<string, string> {
  const used = new Set(sources.map((s) => s.chunkId));
  const byAnchor = new Map<string, NeighbourChunk[]>();
  const anchors = new Map<string, NeighbourChunk>();
  for (const n of neighbours) {
    if (n.id === n.anchorId) anchors.set(n.id, n);
    else byAnchor.set(n.anchorId, [...(byAnchor.get(n.anchorId) ?? []), n]);
  }
  let budget = settings.maxTokens;
  const widened = new Map<string, string>();
  for (const source of sources) {
    if (budget <= 0) break;
    const candidates = (byAnchor.get(source.chunkId) ?? [])
      .filter((n) => !used.has(n.id))
      .map((n) => ({ n, distance: n.chunkIndex - source.chunkIndex }))
      .sort((a, b) => Math.abs(a.distance) - Math.abs(b.distance) || b.distance - a.distance);
    const taken: NeighbourChunk[] = [];
    // Each side stops at the first chunk that does not fit, so the text stays contiguous.
    const blocked = { before: false, after: false };
    for (const { n, distance } of candidates) {
      const side = distance < 0 ? "before" : "after";
      if (blocked[side]) continue;
      if (n.tokenCount > budget) {
        blocked[side] = true;
        continue;
      }
      budget -= n.tokenCount;
      used.add(n.id);
      taken.push(n);
    }
    if (taken.length === 0) continue;
    const anchor = anchors.get(source.chunkId) ?? { chunkIndex: source.chunkIndex, content: source.content };
    widened.set(source.chunkId, joinPieces([pieceOf(anchor), ...taken.map(pieceOf)]));
  }
  return widened;
}

/** The sources' texts as the prompt gets them: widened where the bot asks for it. */
export async function widenSources(
  db: Database,
  botId: string,
  sources: RetrievedChunk[],
  settings: ContextSettings | undefined,
): Promise<Map<string, string>> {
  if (!contextEnabled(settings) || sources.length === 0) return new Map();
  const neighbours = await getNeighbourChunks(db, {
    botId,
    anchorIds: sources.map((s) => s.chunkId),
    radius: settings.neighbours,
    sameSection: settings.sameSection,
    maxSpan: MAX_SECTION_SPAN,
  });
  return widen(sources, neighbours, settings);
}

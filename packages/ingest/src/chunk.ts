/**
 * Token-aware chunking. Each section (a page, a heading's text, a CSV row group) is
 * chunked on its own, so a chunk never spans two pages or two heading sections and keeps
 * their metadata. Inside a section the text is cut into sentence "atoms" (Intl.Segmenter),
 * each tokenised once; atoms are packed up to `chunkSize` tokens, preferring to end a
 * chunk at a paragraph break, then a line break, then a sentence end; a sentence longer
 * than a chunk is cut at word boundaries (at characters when it has no spaces). Overlap
 * repeats whole trailing sentences of the previous chunk, up to `chunkOverlap` tokens.
 * CSV rows are packed under their header, which starts every chunk (no overlap: rows are
 * whole records). Work is linear in the text: every atom is tokenised once, plus one exact
 * count of each finished chunk.
 *
 * Character offsets (`charStart`, `charEnd`) point into the document text formed by
 * joining the sections' texts with SECTION_SEPARATOR (see `documentText`).
 */
import { createHash } from "node:crypto";
import type { ChunkMetadata } from "@docent/contracts/json";
import { countTokens } from "./tokens";
import type { Chunk, ExtractedDocument, ExtractedSection } from "./types";

export const SECTION_SEPARATOR = "\n\n";

export interface ChunkOptions {
  /** Target (and, up to the tokenizer's joins, maximum) chunk length in tokens. */
  chunkSize: number;
  /** Tokens of trailing sentences repeated at the start of the next chunk. */
  chunkOverlap: number;
}

export function chunkDocument(doc: ExtractedDocument, opts: ChunkOptions): Chunk[] {
  const chunker = createChunker(opts);
  const chunks: Chunk[] = [];
  for (const section of doc.sections) chunks.push(...chunker.push(section));
  chunks.push(...chunker.end());
  return chunks;
}

/** Streaming form for large documents (PDF pages as they are read). */
export async function* chunkSections(
  sections: Iterable<ExtractedSection> | AsyncIterable<ExtractedSection>,
  opts: ChunkOptions,
): AsyncGenerator<Chunk> {
  const chunker = createChunker(opts);
  for await (const section of sections) yield* chunker.push(section);
  yield* chunker.end();
}

/** The text that chunk offsets refer to. */
export function documentText(doc: ExtractedDocument): string {
  return doc.sections.map((s) => s.text).join(SECTION_SEPARATOR);
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface Chunker {
  /** Chunks completed by this section (CSV rows may wait for the next push). */
  push(section: ExtractedSection): Chunk[];
  /** Flushes what is pending; call once after the last section. */
  end(): Chunk[];
}

interface Atom {
  start: number;
  end: number;
  tokens: number;
  /** How good a place to end a chunk right after this atom is: 3 paragraph, 2 line, 1 sentence, 0 mid-sentence. */
  breakAfter: number;
}

interface CsvRow {
  text: string;
  rowStart: number | undefined;
  rowEnd: number | undefined;
  charStart: number;
  charEnd: number;
}

interface CsvGroup {
  header: string;
  headerTokens: number;
  rows: CsvRow[];
  tokens: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "sentence" });

export function createChunker(opts: ChunkOptions): Chunker {
  const size = Math.floor(opts.chunkSize);
  const overlap = Math.floor(opts.chunkOverlap);
  if (!(size >= 1)) throw new RangeError("chunkSize must be at least 1 token");
  if (!(overlap >= 0 && overlap < size)) throw new RangeError("chunkOverlap must be between 0 and chunkSize - 1");

  let index = 0;
  let offset = 0; // where the next section starts in the document text
  let first = true;
  let group: CsvGroup | undefined;
  const headerTokenCache = new Map<string, number>();

  const make = (content: string, metadata: ChunkMetadata): Chunk => ({
    index: index++,
    content,
    tokenCount: countTokens(content),
    contentHash: sha256Hex(content),
    metadata,
  });

  const flushGroup = (out: Chunk[]) => {
    if (!group || group.rows.length === 0) return;
    const rows = group.rows;
    const firstRow = rows[0]!;
    const lastRow = rows[rows.length - 1]!;
    const metadata: ChunkMetadata = { charStart: firstRow.charStart, charEnd: lastRow.charEnd };
    if (firstRow.rowStart !== undefined) metadata.rowStart = firstRow.rowStart;
    if (lastRow.rowEnd !== undefined) metadata.rowEnd = lastRow.rowEnd;
    out.push(make(`${group.header}\n${rows.map((r) => r.text).join("\n")}`, metadata));
    group.rows = [];
    group.tokens = group.headerTokens;
  };

  const pushCsvRow = (section: ExtractedSection, header: string, start: number, out: Chunk[]) => {
    if (group && group.header !== header) {
      flushGroup(out);
      group = undefined;
    }
    if (!group) {
      let headerTokens = headerTokenCache.get(header);
      if (headerTokens === undefined) {
        headerTokens = countTokens(header);
        headerTokenCache.set(header, headerTokens);
      }
      group = { header, headerTokens, rows: [], tokens: headerTokens };
    }
    const text = section.text;
    const tokens = countTokens(text);
    const rowStart = section.rowStart;
    const rowEnd = section.rowEnd ?? rowStart;
    const budget = Math.max(size - group.headerTokens - 1, Math.ceil(size / 4));
    if (tokens > budget) {
      // An oversized row: each of its pieces gets the header.
      flushGroup(out);
      for (const piece of packAtoms(atomize(text, budget), budget, 0)) {
        const metadata: ChunkMetadata = { charStart: start + piece.start, charEnd: start + piece.end };
        if (rowStart !== undefined) metadata.rowStart = rowStart;
        if (rowEnd !== undefined) metadata.rowEnd = rowEnd;
        out.push(make(`${header}\n${text.slice(piece.start, piece.end)}`, metadata));
      }
      return;
    }
    if (group.tokens + 1 + tokens > size && group.rows.length > 0) flushGroup(out);
    group.rows.push({ text, rowStart, rowEnd, charStart: start, charEnd: start + text.length });
    group.tokens += 1 + tokens;
  };

  return {
    push(section) {
      const out: Chunk[] = [];
      if (!first) offset += SECTION_SEPARATOR.length;
      first = false;
      const start = offset;
      offset += section.text.length;
      if (section.text.trim() === "") return out;

      if (section.header !== undefined) {
        pushCsvRow(section, section.header, start, out);
        return out;
      }
      if (group) {
        flushGroup(out);
        group = undefined;
      }
      const text = section.text;
      for (const piece of packAtoms(atomize(text, size), size, overlap)) {
        const metadata: ChunkMetadata = { charStart: start + piece.start, charEnd: start + piece.end };
        if (section.page !== undefined) metadata.page = section.page;
        if (section.headingPath && section.headingPath.length > 0) metadata.headingPath = section.headingPath;
        if (section.rowStart !== undefined) metadata.rowStart = section.rowStart;
        if (section.rowEnd !== undefined) metadata.rowEnd = section.rowEnd;
        out.push(make(text.slice(piece.start, piece.end), metadata));
      }
      return out;
    },
    end() {
      const out: Chunk[] = [];
      flushGroup(out);
      group = undefined;
      return out;
    },
  };
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

function breakStrength(whitespace: string): number {
  const first = whitespace.indexOf("\n");
  if (first === -1) return 1;
  return whitespace.indexOf("\n", first + 1) === -1 ? 2 : 3;
}

/** Sentence atoms of `text`, none longer than `size` tokens. */
function atomize(text: string, size: number): Atom[] {
  const atoms: Atom[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    let a = 0;
    let b = segment.length;
    while (a < b && isSpace(segment.charCodeAt(a))) a++;
    while (b > a && isSpace(segment.charCodeAt(b - 1))) b--;
    const strength = breakStrength(segment.slice(b));
    if (a === b) {
      const prev = atoms[atoms.length - 1];
      if (prev) prev.breakAfter = Math.max(prev.breakAfter, breakStrength(segment));
      continue;
    }
    const start = index + a;
    const end = index + b;
    const tokens = countTokens(segment.slice(a, b));
    if (tokens <= size) {
      atoms.push({ start, end, tokens, breakAfter: strength });
    } else {
      const pieces = splitLong(text, start, end, tokens, size);
      pieces[pieces.length - 1]!.breakAfter = strength;
      atoms.push(...pieces);
    }
  }
  return atoms;
}

/** Cuts an over-long sentence at spaces (or anywhere, if it has none) into pieces of at most `size` tokens. */
function splitLong(text: string, start: number, end: number, tokens: number, size: number): Atom[] {
  const pieces: Atom[] = [];
  let window = Math.max(1, Math.floor((size * 0.9 * (end - start)) / tokens));
  let pos = start;
  while (pos < end) {
    let cut = Math.min(end, pos + window);
    if (cut < end) {
      let space = cut;
      const floor = pos + Math.floor(window / 2);
      while (space > floor && !isSpace(text.charCodeAt(space - 1))) space--;
      if (space > floor) cut = space;
      const code = text.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff && cut - 1 > pos) cut--;
    }
    let pieceEnd = cut;
    while (pieceEnd > pos && isSpace(text.charCodeAt(pieceEnd - 1))) pieceEnd--;
    const count = countTokens(text.slice(pos, pieceEnd));
    if (count > size && window > 1) {
      window = Math.max(1, Math.floor((window * size * 0.9) / count));
      continue;
    }
    if (pieceEnd > pos) pieces.push({ start: pos, end: pieceEnd, tokens: count, breakAfter: 0 });
    pos = cut;
    while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
  }
  return pieces;
}

/**
 * Greedy packing with a look-back for the strongest break in the second half of the
 * window. Joining two atoms is counted as one token (the space or newline between them).
 */
function packAtoms(
  atoms: Atom[],
  size: number,
  overlap: number,
): { start: number; end: number }[] {
  const n = atoms.length;
  const out: { start: number; end: number }[] = [];
  if (n === 0) return out;
  // prefix[k] = tokens of atoms[0..k) plus one joining token each
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + atoms[k]!.tokens + 1;
  const span = (from: number, to: number) => prefix[to]! - prefix[from]! - 1;
  const minFill = size * 0.5;

  let i = 0;
  let previousEnd = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && span(i, j + 1) <= size) j++;
    let end = j;
    if (j < n) {
      let bestStrength = atoms[j - 1]!.breakAfter;
      for (let k = j - 1; k > Math.max(i, previousEnd) && span(i, k) >= minFill; k--) {
        const strength = atoms[k - 1]!.breakAfter;
        if (strength > bestStrength) {
          bestStrength = strength;
          end = k;
        }
      }
    }
    out.push({ start: atoms[i]!.start, end: atoms[end - 1]!.end });
    if (end >= n) break;
    previousEnd = end;
    // Trailing whole atoms of this chunk, within the overlap budget, start the next one,
    // as long as the next chunk still has room for the atom after them.
    let k = end;
    while (k - 1 > i && span(k - 1, end) <= overlap) k--;
    while (k < end && span(k, end + 1) > size) k++;
    i = k;
  }
  return out;
}

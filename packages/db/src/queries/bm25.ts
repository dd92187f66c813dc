/**
 * BM25 keyword search over one bot's chunks, exact top-k, computed from the per-bot term
 * statistics and the postings that the triggers of migrations 0005 and 0017 keep
 * (`bot_term_stats`, `bot_search_stats`, `bot_chunk_postings`: one row per chunk and
 * lexeme with its term frequency, the chunk's length and document, keyed (bot, term,
 * chunk) with those values in the key's index).
 *
 * OR semantics (a question rarely has all its words in one chunk); IDF in the Lucene form
 * ln(1 + (N - df + 0.5) / (df + 0.5)). MaxScore, term at a time: each term adds at most
 * its bound idf * (k1 + 1) to a chunk. Terms are taken rarest first (decreasing bounds).
 *
 * 1. Accumulate: the rarest terms' postings are read in full and summed per chunk.
 * 2. Probe: the chunks with the best sums are completed (the other terms looked up by key
 *    for them); the k-th best exact score is a threshold T, a lower bound of the answer's
 *    k-th score.
 * 3. A chunk holding no accumulated term scores at most R, the other terms' bounds summed.
 *    While R can reach T, more terms are accumulated: as many as MaxScore's split at T
 *    asks (the common terms whose bounds sum to less than T are left out), then probe again.
 * 4. Complete: the chunks whose sum plus R reaches T are completed one term at a time,
 *    rarest first, dropping those that can no longer reach T and raising T as their lower
 *    bounds grow. Each term is looked up by key for the chunks left, or read in full when
 *    that is cheaper.
 *
 * The postings are read packed (22 bytes a posting: chunk id, tf, chunk length) and summed
 * here in typed arrays: Postgres evaluated BM25's weight, merged and grouped at about 2 us
 * a posting. A term's postings come from its pack in `bot_term_packs` when the pack was
 * made at the version the term's statistics carry in this snapshot (then it holds exactly
 * them), else from the postings index (index-only scan, about 0.5 us a posting); terms read
 * from the index are reported for re-packing (`packTerms`, after answering). Both are sent
 * as base64 slices of at most 1,000 postings, small enough for the client's young heap.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Database, type StatementRunner, executePrepared } from "../client";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { chunkInFilteredDocuments } from "./metadata-filter";

export interface KeywordHit {
  id: string;
  /** Raw BM25 score. */
  score: number;
  /** BM25 divided by the best score any chunk could reach for these terms, 0-1. */
  normalized: number;
}

export interface KeywordSearchParams {
  botId: string;
  query: string;
  /** The bot's text-search configuration ("english", "simple"...). */
  textSearchConfig: string;
  limit: number;
  k1?: number;
  b?: number;
  /**
   * The first accumulation reads the rarest terms in full while their postings sum to at
   * most this many (at least one term; a packed posting counts as a quarter, its cost
   * against one read from the index): enough to find the chunks that set the threshold,
   * few enough not to read postings the threshold would have spared.
   */
  accumulatePostings?: number;
  /**
   * Filled with how many accumulations answered: 1, the first one's threshold sufficed;
   * 2, a second accumulated the terms MaxScore's split at that threshold asks for.
   */
  report?: { passes: number };
  /**
   * Only chunks of the bot's documents whose metadata match: the postings carry the
   * chunk's document, tested as they are read, so only matching chunks become candidates
   * and every threshold is a score among matching chunks (the pruning stays exact). Term
   * statistics (IDF, average length) stay the bot's.
   */
  filter?: MetadataFilter;
  /**
   * Filled with the terms whose postings were read from the index although they are
   * many (at least `PACK_MIN_POSTINGS`): worth packing (`packTerms`) for the next search.
   */
  unpacked?: string[];
}

/** Terms with fewer postings are read from the index: packing them would save little. */
export const PACK_MIN_POSTINGS = 1_000;

interface QueryTerm {
  term: string;
  docFreq: number;
  /** Its pack in `bot_term_packs` holds exactly its postings in this snapshot. */
  packed: boolean;
  idf: number;
  /** The most this term can add to a chunk's score: idf * (k1 + 1). */
  bound: number;
}

/**
 * Retrieval queries run with JIT off: on big bots their cost estimates pass
 * jit_above_cost, and compiling takes longer (tens of ms) than the query itself.
 */
const noJit = sql`select set_config('jit', 'off', true)`;

/**
 * BM25 top-k of one bot's chunks for a query, in its own read transaction (one snapshot:
 * the packs' versions are checked against the statistics it sees).
 */
export async function searchChunksByKeyword(db: Database, params: KeywordSearchParams): Promise<KeywordHit[]> {
  return db.transaction(
    async (tx) => {
      await tx.execute(noJit);
      return bm25TopK(tx, params);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Packs these terms' postings as of now (one statement: the version and the postings it
 * packs are read from one snapshot). A pack never replaces a newer one.
 */
export async function packTerms(db: Database, botId: string, terms: readonly string[]): Promise<void> {
  if (terms.length === 0) return;
  await db.execute(sql`
    insert into bot_term_packs (bot_id, term, version, postings)
    select s.bot_id, s.term, s.version, coalesce((
      select string_agg(${packedPosting}, ''::bytea)
      from bot_chunk_postings c
      where c.bot_id = s.bot_id and c.term = s.term
    ), ''::bytea)
    from bot_term_stats s
    where s.bot_id = ${botId} and s.term = any(${textArray(terms)}::text[])
    on conflict (bot_id, term) do update set version = excluded.version, postings = excluded.postings
    where bot_term_packs.version < excluded.version`);
}

/** `searchChunksByKeyword` within the caller's transaction (and its snapshot). */
export async function bm25TopK(
  tx: StatementRunner,
  {
    botId,
    query,
    textSearchConfig,
    limit,
    k1 = 1.2,
    b = 0.75,
    accumulatePostings = 5_000,
    report,
    filter,
    unpacked,
  }: KeywordSearchParams,
): Promise<KeywordHit[]> {
  const rows = await executePrepared<{ term: string; doc_freq: number; idf: number; avgdl: number; packed: boolean }>(tx, sql`
    with q as (
      select distinct t.term
      from unnest(tsvector_to_array(to_tsvector(${textSearchConfig}::regconfig, ${query}))) as t(term)
    ),
    stats as (
      select chunk_count::float8 as n,
             greatest(total_length::float8 / nullif(chunk_count, 0), 1) as avgdl
      from bot_search_stats where bot_id = ${botId} and chunk_count > 0
    )
    select q.term, s.doc_freq, ln(1 + (stats.n - s.doc_freq + 0.5) / (s.doc_freq + 0.5)) as idf, stats.avgdl,
           exists (select 1 from bot_term_packs k where k.bot_id = s.bot_id and k.term = s.term and k.version = s.version) as packed
    from q
    join bot_term_stats s on s.bot_id = ${botId} and s.term = q.term
    cross join stats
    where s.doc_freq > 0
    order by s.doc_freq, q.term`);
  if (rows.length === 0 || limit <= 0) return [];
  // Rarest first: the order of decreasing bounds.
  const terms: QueryTerm[] = rows.map((r) => ({
    term: r.term,
    docFreq: Number(r.doc_freq),
    packed: r.packed,
    idf: Number(r.idf),
    bound: Number(r.idf) * (k1 + 1),
  }));
  const maxScore = terms.reduce((sum, t) => sum + t.bound, 0);

  // In postings read from the index: a packed posting counts for a quarter of one.
  const cost = (t: QueryTerm) => readUs(t, filter !== undefined) / READ_POSTING_US.index;
  let first = 1;
  let postings = cost(terms[0]!);
  while (first < terms.length && postings + cost(terms[first]!) <= accumulatePostings) {
    postings += cost(terms[first]!);
    first++;
  }
  const scope = filter ? chunkInFilteredDocuments(botId, filter, { documentId: sql.raw("c.document_id"), probe: true }) : undefined;
  const search = new Bm25TopK(tx, { botId, terms, avgdl: Number(rows[0]!.avgdl), k1, b, limit, scope });

  try {
    await search.accumulate(first);
    await search.probe();
    let passes = 1;
    // Chunks holding none of the accumulated terms score at most `rest`: while that can
    // reach the threshold they could enter the top k. The threshold is a lower bound of the
    // answer's k-th score, so MaxScore's split at it is safe.
    if (search.rest(search.accumulated) >= search.cut && search.accumulated < terms.length) {
      passes = 2;
      await search.accumulate(essentialTermCount(terms, search.threshold));
      await search.probe();
    }
    if (report) report.passes = passes;
    const hits = await search.complete();
    unpacked?.push(...search.unpacked);
    return hits.map((h) => ({ ...h, normalized: maxScore > 0 ? Math.min(1, h.score / maxScore) : 0 }));
  } finally {
    search.release();
  }
}

/**
 * How many of the rarest terms must be accumulated (terms ordered rarest first, i.e. by
 * decreasing bound): the others, taken from the common end, are left out while their
 * bounds sum to less than the threshold.
 */
export function essentialTermCount(terms: readonly { bound: number }[], threshold: number): number {
  let count = terms.length;
  let nonEssential = 0;
  // Strictly below the threshold, with a margin for floating-point rounding.
  while (count > 1 && nonEssential + terms[count - 1]!.bound < threshold * (1 - 1e-9)) {
    nonEssential += terms[count - 1]!.bound;
    count--;
  }
  return count;
}

/**
 * Best score first; scores equal to within floating-point rounding (sums of the same
 * weights in another order) count as tied and go by chunk id, as Postgres orders uuids.
 */
function byScoreThenId(x: { id: string; score: number }, y: { id: string; score: number }) {
  if (Math.abs(x.score - y.score) > 1e-12 * Math.max(Math.abs(x.score), Math.abs(y.score))) return y.score - x.score;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** One packed posting: the chunk id (16 bytes), tf (int2), the chunk's length (int4). */
const PACKED_POSTING = 22;
/** A posting `c` of `bot_chunk_postings` packed, PACKED_POSTING bytes: packs and index reads alike. */
const packedPosting = sql.raw("uuid_send(c.chunk_id) || int2send(c.tf) || int4send(c.length)");

/**
 * Measured costs (100,000 chunks, docs/benchmarks.md) that decide between looking a term
 * up by key for each remaining candidate and reading the term's postings in full.
 */
const LOOKUP_US = 3;
const READ_POSTING_US = { packed: 0.15, index: 0.6 };

/** A term is read from its pack when it has a current one, unless the read is filtered (packs hold no documents). */
const readsPack = (t: QueryTerm, filtered: boolean) => t.packed && !filtered;
/** What reading all of a term's postings costs, in microseconds. */
const readUs = (t: QueryTerm, filtered: boolean) => t.docFreq * (readsPack(t, filtered) ? READ_POSTING_US.packed : READ_POSTING_US.index);
/** Up to this many (chunk, term) lookups are made in one round trip rather than term by term. */
const FEW_LOOKUPS = 256;

/** A Postgres array literal of strings (every element quoted and escaped). */
const textArray = (xs: readonly string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;

/**
 * The chunks met in postings, keyed by the 16 bytes of their uuid: an open-addressing
 * hash table over typed arrays, so summing a posting allocates nothing.
 */
class ChunkTable {
  /**
   * Tables of finished searches, for the next ones: their arrays (about 1.4 MB at 16,000
   * chunks, and as much again while growing) were most of what a search allocated, and
   * made the garbage collector pause every few searches.
   */
  private static readonly pool: ChunkTable[] = [];

  static acquire(): ChunkTable {
    return ChunkTable.pool.pop() ?? new ChunkTable();
  }

  /** Back to the pool, emptied (a few at most, none above 2^17 chunks). */
  release() {
    if (ChunkTable.pool.length >= 4 || this.lengths.length > 1 << 17) return;
    this.slots.fill(0);
    this.partial.fill(0, 0, this.size);
    this.score.fill(Number.NaN, 0, this.size);
    this.size = 0;
    ChunkTable.pool.push(this);
  }

  size = 0;
  private slots = new Int32Array(1 << 12);
  private keys = new Int32Array(1 << 13);
  lengths = new Int32Array(1 << 11);
  /** The weights read so far for each chunk: a lower bound of its score. */
  partial = new Float64Array(1 << 11);
  /** The exact score, once every term's weight is in; NaN before. */
  score = new Float64Array(1 << 11).fill(Number.NaN);

  private slotOf(a: number, b: number, c: number, d: number) {
    const mask = this.slots.length - 1;
    let slot = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35), 0x27d4eb2f) & mask;
    for (;;) {
      const e = this.slots[slot]! - 1;
      if (e < 0) return slot;
      const k = e * 4;
      if (this.keys[k] === a && this.keys[k + 1] === b && this.keys[k + 2] === c && this.keys[k + 3] === d) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** The entry of the chunk whose id starts at `at` in `buf`; -1 when absent, unless `add`. */
  entry(buf: Buffer, at: number, length: number, add: boolean): number {
    // Signed reads: int32 values stay unboxed in optimized code (uint32 ones may not).
    const a = buf.readInt32BE(at);
    const b = buf.readInt32BE(at + 4);
    const c = buf.readInt32BE(at + 8);
    const d = buf.readInt32BE(at + 12);
    const slot = this.slotOf(a, b, c, d);
    const found = this.slots[slot]! - 1;
    if (found >= 0 || !add) return found;
    if (this.size === this.lengths.length) this.growEntries();
    const e = this.size++;
    const k = e * 4;
    this.keys[k] = a;
    this.keys[k + 1] = b;
    this.keys[k + 2] = c;
    this.keys[k + 3] = d;
    this.lengths[e] = length;
    this.slots[slot] = e + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return e;
  }

  /** The chunk's id as Postgres writes a uuid. */
  id(e: number): string {
    const hex = Array.from(this.keys.subarray(e * 4, e * 4 + 4), (w) => (w >>> 0).toString(16).padStart(8, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private growEntries() {
    const n = this.lengths.length * 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T, per = 1) => {
      const next = make(n * per);
      next.set(old);
      return next;
    };
    this.keys = grow(this.keys, (m) => new Int32Array(m), 4);
    this.lengths = grow(this.lengths, (m) => new Int32Array(m));
    this.partial = grow(this.partial, (m) => new Float64Array(m));
    this.score = grow(this.score, (m) => new Float64Array(m).fill(Number.NaN));
  }

  private rehash() {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let e = 0; e < this.size; e++) {
      const k = e * 4;
      this.slots[this.slotOf(this.keys[k]!, this.keys[k + 1]!, this.keys[k + 2]!, this.keys[k + 3]!)] = e + 1;
    }
  }
}

/**
 * One query's MaxScore search (see the module comment). The query's terms, rarest first:
 * the first `accumulated` have had every posting read and summed per chunk; the others are
 * looked up (or read) only for candidates. `threshold` is the best known lower bound of
 * the answer's k-th score.
 */
class Bm25TopK {
  private readonly chunks = ChunkTable.acquire();
  accumulated = 0;
  threshold = 0;
  /** Terms with many postings read from the index: worth packing. */
  readonly unpacked = new Set<string>();

  constructor(
    private readonly tx: StatementRunner,
    private readonly p: {
      botId: string;
      terms: QueryTerm[];
      avgdl: number;
      k1: number;
      b: number;
      limit: number;
      /** A predicate on a posting's `c.document_id` (the metadata filter): only those chunks are candidates. */
      scope?: SQL | undefined;
    },
  ) {}

  /** Gives the chunk table back for the next search; this one is over. */
  release() {
    this.chunks.release();
  }

  /** The threshold with a margin for floating-point rounding: scores at or above it may tie. */
  get cut() {
    return this.threshold * (1 - 1e-9);
  }

  /** The most the terms from `from` on can add to a chunk: their bounds summed. */
  rest(from: number) {
    let sum = 0;
    for (let i = from; i < this.p.terms.length; i++) sum += this.p.terms[i]!.bound;
    return sum;
  }

  /** BM25's weight of one posting. */
  private weight(term: QueryTerm, tf: number, length: number) {
    const { k1, b, avgdl } = this.p;
    return (term.idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgdl));
  }

  /**
   * Every posting of these terms, as slices of packed postings: from the terms' packs, or
   * from the postings index for terms without a current pack and for `scoped` reads (the
   * metadata filter tests each posting's document, which packs do not hold).
   */
  private async read(terms: QueryTerm[], scoped: boolean): Promise<{ term: QueryTerm; postings: Buffer }[]> {
    const filter = scoped ? this.p.scope : undefined;
    const fromPacks = terms.filter((t) => readsPack(t, filter !== undefined));
    const fromIndex = terms.filter((t) => !readsPack(t, filter !== undefined));
    for (const t of fromIndex) if (t.docFreq >= PACK_MIN_POSTINGS) this.unpacked.add(t.term);
    const names = (ts: QueryTerm[]) => textArray(ts.map((t) => t.term));
    // Slices of at most SLICE postings (uncompressed out-of-line storage reads just them);
    // from the index, about 1/16th of a term's postings each (the chunk id's first 4 bits).
    const slice = PACKED_POSTING * 1_000;
    const [packed, indexed] = await Promise.all([
      fromPacks.length === 0
        ? []
        : executePrepared<{ i: number; p: string }>(this.tx, sql`
            select array_position(${names(fromPacks)}::text[], k.term) as i,
                   encode(substring(k.postings from n * ${slice} + 1 for ${slice}), 'base64') as p
            from bot_term_packs k, generate_series(0, (octet_length(k.postings) - 1) / ${slice}) as n
            where k.bot_id = ${this.p.botId} and k.term = any(${names(fromPacks)}::text[])`),
      fromIndex.length === 0
        ? []
        : executePrepared<{ i: number; p: string }>(this.tx, sql`
            select t.i::int as i,
                   encode(string_agg(${packedPosting}, ''::bytea), 'base64') as p
            from unnest(${names(fromIndex)}::text[]) with ordinality as t(term, i)
            join bot_chunk_postings c on c.bot_id = ${this.p.botId} and c.term = t.term ${filter ? sql`and ${filter}` : sql``}
            group by t.i, get_byte(uuid_send(c.chunk_id), 0) >> 4`),
    ]);
    // Node's base64 decoder skips the line breaks Postgres puts in.
    return [
      ...packed.map((r) => ({ term: fromPacks[r.i - 1]!, postings: Buffer.from(r.p, "base64") })),
      ...indexed.map((r) => ({ term: fromIndex[r.i - 1]!, postings: Buffer.from(r.p, "base64") })),
    ];
  }

  /** Reads the postings of the terms up to `count` (rarest first) not yet read, and sums them per chunk. */
  async accumulate(count: number) {
    const terms = this.p.terms.slice(this.accumulated, count);
    if (terms.length === 0) return;
    const { chunks } = this;
    for (const { term, postings } of await this.read(terms, true)) {
      for (let at = 0; at < postings.length; at += PACKED_POSTING) {
        const length = postings.readInt32BE(at + 18);
        const e = chunks.entry(postings, at, length, true);
        chunks.partial[e]! += this.weight(term, postings.readInt16BE(at + 16), length);
      }
    }
    this.accumulated = count;
  }

  /**
   * Adds the weights of `terms` to these chunks' partial sums: by key lookups, or by
   * reading the terms' postings in full when there are many chunks to look up.
   */
  private async add(entries: readonly number[], terms: QueryTerm[]) {
    if (entries.length === 0 || terms.length === 0) return;
    const { chunks } = this;
    const lookups = entries.length * terms.length * LOOKUP_US;
    const reads = terms.reduce((n, t) => n + readUs(t, false), 0);
    if (reads < lookups) {
      const wanted = new Uint8Array(chunks.size);
      for (const e of entries) wanted[e] = 1;
      for (const { term, postings } of await this.read(terms, false)) {
        for (let at = 0; at < postings.length; at += PACKED_POSTING) {
          const e = chunks.entry(postings, at, 0, false);
          if (e >= 0 && wanted[e]) chunks.partial[e]! += this.weight(term, postings.readInt16BE(at + 16), chunks.lengths[e]!);
        }
      }
      return;
    }
    const byId = new Map(entries.map((e) => [chunks.id(e), e]));
    const rows = await executePrepared<{ i: number; id: string; tf: number }>(this.tx, sql`
      select array_position(${textArray(terms.map((t) => t.term))}::text[], c.term) as i, c.chunk_id::text as id, c.tf
      from bot_chunk_postings c
      where c.bot_id = ${this.p.botId}
        and c.term = any(${textArray(terms.map((t) => t.term))}::text[])
        and c.chunk_id = any(${`{${[...byId.keys()].join(",")}}`}::uuid[])`);
    for (const r of rows) {
      const e = byId.get(r.id)!;
      chunks.partial[e]! += this.weight(terms[r.i - 1]!, r.tf, chunks.lengths[e]!);
    }
  }

  /** Raises the threshold to the `limit`-th best of these lower bounds (distinct chunks). */
  private raise(bounds: readonly number[]) {
    if (bounds.length < this.p.limit) return;
    const kth = [...bounds].sort((x, y) => y - x)[this.p.limit - 1]!;
    if (kth > this.threshold) this.threshold = kth;
  }

  /** The exact scores known so far. */
  private completed(): number[] {
    const { chunks } = this;
    const entries: number[] = [];
    for (let e = 0; e < chunks.size; e++) if (!Number.isNaN(chunks.score[e])) entries.push(e);
    return entries;
  }

  /**
   * Completes the not yet completed chunks with the best partial sums (twice the limit:
   * a few holding fewer of the accumulated terms may still win on the others), and
   * raises the threshold to the k-th best exact score known.
   */
  async probe() {
    const { chunks } = this;
    const best = topPartials(chunks, 2 * this.p.limit);
    const saved = best.map((e) => chunks.partial[e]!);
    await this.add(best, this.p.terms.slice(this.accumulated));
    best.forEach((e, i) => {
      chunks.score[e] = chunks.partial[e]!;
      // The partial sum stays the accumulated terms' alone, for later accumulations.
      chunks.partial[e] = saved[i]!;
    });
    this.raise(this.completed().map((e) => chunks.score[e]!));
  }

  /**
   * The answer: every chunk whose partial sum plus the other terms' bounds reaches the
   * threshold is completed, term by term (rarest first); before each term, chunks that
   * can no longer reach the threshold are dropped, and the threshold rises to the k-th
   * best lower bound. The best `limit` exact scores at or above the threshold, best first.
   */
  async complete(): Promise<{ id: string; score: number }[]> {
    const { chunks, p } = this;
    const done = this.completed();
    let open: number[] = [];
    const rest = this.rest(this.accumulated);
    for (let e = 0; e < chunks.size; e++) {
      if (Number.isNaN(chunks.score[e]) && chunks.partial[e]! + rest >= this.cut) open.push(e);
    }
    for (let i = this.accumulated; i < p.terms.length && open.length > 0; i++) {
      const bound = this.rest(i);
      open = open.filter((e) => chunks.partial[e]! + bound >= this.cut);
      // Few lookups left: one round trip for all the remaining terms beats pruning between them.
      const last = open.length * (p.terms.length - i) <= FEW_LOOKUPS ? p.terms.length : i + 1;
      await this.add(open, p.terms.slice(i, last));
      i = last - 1;
      this.raise([...done.map((e) => chunks.score[e]!), ...open.map((e) => chunks.partial[e]!)]);
    }
    for (const e of open) chunks.score[e] = chunks.partial[e]!;
    return [...done, ...open]
      .filter((e) => chunks.score[e]! >= this.cut)
      .map((e) => ({ id: chunks.id(e), score: chunks.score[e]! }))
      .sort(byScoreThenId)
      .slice(0, p.limit);
  }
}

/** The `n` not yet completed chunks with the greatest partial sums (a bounded min-heap). */
function topPartials(chunks: ChunkTable, n: number): number[] {
  const heap: number[] = [];
  const value = (i: number) => chunks.partial[heap[i]!]!;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (let e = 0; e < chunks.size; e++) {
    if (!Number.isNaN(chunks.score[e])) continue;
    if (heap.length < n) {
      heap.push(e);
      for (let i = heap.length - 1; i > 0 && value(i) < value((i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (n > 0 && chunks.partial[e]! > value(0)) {
      heap[0] = e;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && value(l) < value(m)) m = l;
        if (r < heap.length && value(r) < value(m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap;
}

/**
 * Retrieval queries over `bot_document_chunks`, always filtered by bot: nearest
 * neighbours by cosine distance (HNSW with pgvector 0.8 iterative scans, or an exact
 * scan), and BM25 keyword ranking computed entirely in Postgres from the per-bot term
 * statistics and postings kept by the triggers of migrations 0005 and 0017.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import type { ChunkMetadata } from "@docent/contracts/json";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { chunkInFilteredDocuments, filteredChunkCountSql } from "./metadata-filter";

export interface VectorHit {
  id: string;
  /** Cosine distance (0 = same direction, 2 = opposite). */
  distance: number;
  embeddingModel: string;
  /** The chunk's display fields, when the search was asked for them (`withDetails`). */
  details?: ChunkDetails;
}

export interface VectorSearchParams {
  botId: string;
  embedding: number[];
  limit: number;
  /** Exact scan: every chunk of the bot is compared; no index, perfect recall. */
  exact: boolean;
  /** HNSW candidate list size; raised to at least `limit`. */
  efSearch?: number;
  /** Upper bound of tuples an iterative scan visits before giving up. */
  maxScanTuples?: number;
  /**
   * Benchmarks only: keep the planner on the HNSW index even where it would rather sort
   * the bot's rows (small bots), to measure the iterative scan itself.
   */
  forceIndex?: boolean;
  /** Only chunks of the bot's documents whose metadata match (metadata-filter.ts). */
  filter?: MetadataFilter;
}

/**
 * `and <the chunk's document matches>` for a chunk query aliased `c`; empty without a
 * filter. `probe`: test each row the unfiltered plan yields rather than start from the
 * matching documents (metadata-filter.ts).
 */
const documentScope = (botId: string, filter: MetadataFilter | undefined, probe: boolean) =>
  filter ? sql`and ${chunkInFilteredDocuments(botId, filter, { probe })}` : sql``;

export const vectorLiteral = (v: number[]) => `[${v.join(",")}]`;

/**
 * Retrieval queries run with JIT off: on big bots their cost estimates pass
 * jit_above_cost, and compiling takes longer (tens of ms) than the query itself.
 */
const noJit = sql`select set_config('jit', 'off', true)`;

/** The HNSW walk's settings for the current transaction (set_config(..., true) = SET LOCAL). */
const hnswSettings = (p: { limit: number; efSearch: number; maxScanTuples: number; forceIndex?: boolean }) => sql`
  set_config('hnsw.iterative_scan', 'relaxed_order', true),
  set_config('hnsw.ef_search', ${String(Math.min(1000, Math.max(p.efSearch, p.limit)))}, true),
  set_config('hnsw.max_scan_tuples', ${String(p.maxScanTuples)}, true),
  set_config('enable_sort', ${p.forceIndex ? "off" : "on"}, true),
  set_config('jit', 'off', true)`;

/**
 * Nearest chunks of one bot, in its own transaction so the HNSW settings apply to this
 * query only (benchmarks; the chat service searches inside `retrievalSnapshot`).
 */
export async function searchChunksByVector(
  db: Database,
  { efSearch = 100, maxScanTuples = 20_000, forceIndex = false, ...params }: VectorSearchParams,
): Promise<VectorHit[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select ${hnswSettings({ limit: params.limit, efSearch, maxScanTuples, forceIndex })}`);
    return nearestChunks(tx, params);
  });
}

/**
 * Nearest chunks of one bot, with the transaction's settings. The exact scan compares
 * every chunk of the bot; the HNSW path relies on iterative scans, which with
 * `relaxed_order` may return rows slightly out of order, so the limited rows are
 * materialised and sorted again. `withDetails` also returns the found chunks' display
 * fields in the same statement (when the hits are the answer: no fusion to come).
 */
async function nearestChunks(
  tx: Executor,
  {
    botId,
    embedding,
    limit,
    exact,
    filter,
    withDetails = false,
  }: Pick<VectorSearchParams, "botId" | "embedding" | "limit" | "exact" | "filter"> & { withDetails?: boolean },
): Promise<VectorHit[]> {
  const q = vectorLiteral(embedding);
  // `+ 0` keeps the planner off the HNSW index: the ORDER BY no longer matches the
  // indexed operator, so it filters by bot (btree) and sorts the distances exactly.
  const nearest = exact
    ? sql`
        select c.id, (c.embedding <=> ${q}::vector) as distance, c.embedding_model
        from bot_document_chunks c
        where c.bot_id = ${botId} ${documentScope(botId, filter, false)}
        order by (c.embedding <=> ${q}::vector) + 0
        limit ${limit}`
    : sql`
        select c.id, (c.embedding <=> ${q}::vector) as distance, c.embedding_model
        from bot_document_chunks c
        where c.bot_id = ${botId} ${documentScope(botId, filter, true)}
        order by c.embedding <=> ${q}::vector
        limit ${limit}`;
  const rows = await tx.execute<{ id: string; distance: number; embedding_model: string } & Partial<DetailsRow>>(sql`
    with nearest as materialized (${nearest})
    select n.id, n.distance, n.embedding_model ${withDetails ? sql`, ${detailsColumns}` : sql``}
    from nearest n
    ${withDetails ? sql`join bot_document_chunks c on c.id = n.id join bot_documents d on d.id = c.document_id` : sql``}
    order by n.distance, n.id`);
  return rows.map((r) => ({
    id: r.id,
    distance: Number(r.distance),
    embeddingModel: r.embedding_model,
    ...(withDetails ? { details: toDetails(r as DetailsRow) } : {}),
  }));
}

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
   * The postings of the question's rarest terms are read in full, rarest first, while
   * their document frequencies sum to at most this many; the other (common) terms are
   * only looked up for the best candidates.
   */
  accumulatePostings?: number;
  /**
   * Filled with how many passes answered: 1, the first pass's bound sufficed; 2, a second
   * pass accumulated the terms MaxScore's split at the first pass's threshold asks for.
   */
  report?: { passes: number };
  /**
   * Only chunks of the bot's documents whose metadata match: the postings carry the
   * chunk's document, tested as they are read. Both passes accumulate only matching
   * chunks, so each threshold is a score among matching chunks and the pruning stays
   * exact. Term statistics (IDF, average length) stay the bot's.
   */
  filter?: MetadataFilter;
}

interface QueryTerm {
  term: string;
  docFreq: number;
  idf: number;
  /** The most this term can add to a chunk's score: idf * (k1 + 1). */
  bound: number;
}

/**
 * BM25 over the chunks matching ANY of the query's lexemes (OR semantics: a question
 * rarely has all its words in one chunk). IDF uses the Lucene form
 * ln(1 + (N - df + 0.5) / (df + 0.5)); term frequencies and chunk lengths come from
 * `bot_chunk_postings` (one row per chunk and lexeme, kept by the triggers of migration
 * 0017), read with index-only scans.
 *
 * Exact top-k without reading the postings of common words (MaxScore's bound, applied
 * term at a time): the rarest terms, while their postings sum to at most
 * `accumulatePostings`, are "accumulated": all their postings are read and summed per
 * chunk. The remaining terms are common, each adding at most idf * (k1 + 1) to a chunk,
 * R in all; they are looked up by key only for the chunks whose sum plus R can still
 * reach the top k (`accumulateAndComplete`). When R itself is below the k-th score, a
 * chunk holding only common terms cannot enter and the answer is exact; otherwise a
 * second pass accumulates more terms, as many as MaxScore's split at that score asks.
 */
export async function searchChunksByKeyword(db: Database, params: KeywordSearchParams): Promise<KeywordHit[]> {
  return db.transaction(async (tx) => {
    await tx.execute(noJit);
    return bm25TopK(tx, params);
  });
}

/** `searchChunksByKeyword` within the caller's transaction (and its settings). */
async function bm25TopK(
  tx: Executor,
  {
    botId,
    query,
    textSearchConfig,
    limit,
    k1 = 1.2,
    b = 0.75,
    accumulatePostings = 20_000,
    report,
    filter,
  }: KeywordSearchParams,
): Promise<KeywordHit[]> {
  const rows = await tx.execute<{ term: string; doc_freq: number; idf: number; avgdl: number }>(sql`
    with q as (
      select distinct t.term
      from unnest(tsvector_to_array(to_tsvector(${textSearchConfig}::regconfig, ${query}))) as t(term)
    ),
    stats as (
      select chunk_count::float8 as n,
             greatest(total_length::float8 / nullif(chunk_count, 0), 1) as avgdl
      from bot_search_stats where bot_id = ${botId} and chunk_count > 0
    )
    select q.term, s.doc_freq, ln(1 + (stats.n - s.doc_freq + 0.5) / (s.doc_freq + 0.5)) as idf, stats.avgdl
    from q
    join bot_term_stats s on s.bot_id = ${botId} and s.term = q.term
    cross join stats
    where s.doc_freq > 0
    order by s.doc_freq, q.term`);
  if (rows.length === 0) return [];
  const avgdl = Number(rows[0]!.avgdl);
  // Rarest first: the order of decreasing bounds.
  const terms: QueryTerm[] = rows.map((r) => ({
    term: r.term,
    docFreq: Number(r.doc_freq),
    idf: Number(r.idf),
    bound: Number(r.idf) * (k1 + 1),
  }));
  const maxScore = terms.reduce((sum, t) => sum + t.bound, 0);
  const normalize = (hits: { id: string; score: number }[]) =>
    hits.map((h) => ({ ...h, normalized: maxScore > 0 ? Math.min(1, h.score / maxScore) : 0 }));

  let accumulated = 1;
  let postings = terms[0]!.docFreq;
  while (accumulated < terms.length && postings + terms[accumulated]!.docFreq <= accumulatePostings) {
    postings += terms[accumulated]!.docFreq;
    accumulated++;
  }
  // A hashed test on each posting's document keeps the postings' index order (the merge).
  const scope = filter ? chunkInFilteredDocuments(botId, filter, { documentId: sql.raw("document_id"), probe: true }) : undefined;
  const pass = (accumulate: number, floor: number) =>
    accumulateAndComplete(tx, { botId, accumulate: terms.slice(0, accumulate), complete: terms.slice(accumulate), avgdl, limit, k1, b, floor, scope });

  const first = await pass(accumulated, 0);
  // Chunks holding none of the accumulated terms score at most `common`.
  if (first.common < first.threshold * (1 - 1e-9) || accumulated === terms.length) {
    if (report) report.passes = 1;
    return normalize(first.hits);
  }
  // The common terms could lift a chunk holding none of the rarer ones into the top k.
  // The first pass's threshold is a lower bound of the answer's k-th score, so MaxScore's
  // split at it is safe: accumulate every term but the common ones whose bounds sum to
  // less than it, keeping it as the floor of the second pass's threshold.
  if (report) report.passes = 2;
  const second = await pass(essentialTermCount(terms, first.threshold), first.threshold);
  return normalize(second.hits);
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

/**
 * The best `limit` chunks among those holding an `accumulate` term, exactly scored. All
 * the accumulated terms' postings are read and summed per chunk; the `complete` terms add
 * at most `common` (the sum of their bounds) to any chunk. The best sums, completed with
 * the other terms' weights by key lookups, give a threshold T (their `limit`-th score, a
 * lower bound of the answer's); every chunk whose sum plus `common` reaches T is then
 * completed too, and the best of those are the answer among chunks holding an accumulated
 * term. A chunk holding none scores at most `common`, which the caller compares with T.
 */
async function accumulateAndComplete(
  tx: Executor,
  p: {
    botId: string;
    accumulate: QueryTerm[];
    complete: QueryTerm[];
    avgdl: number;
    limit: number;
    k1: number;
    b: number;
    /** A known lower bound of the answer's k-th score (0 when none is known). */
    floor: number;
    /** A predicate on a posting's `document_id` (the metadata filter): only those chunks are candidates. */
    scope?: SQL | undefined;
  },
): Promise<{ hits: { id: string; score: number }[]; threshold: number; common: number }> {
  const json = (ts: QueryTerm[]) => JSON.stringify(ts.map(({ term, idf }) => ({ term, idf })));
  const common = p.complete.reduce((sum, t) => sum + t.bound, 0);
  // BM25's weight of one posting, without the term's IDF.
  const weight = (tf: SQL, length: SQL) =>
    sql`(${tf} * (${p.k1}::float8 + 1)) / (${tf} + ${p.k1}::float8 * (1 - ${p.b}::float8 + ${p.b}::float8 * ${length} / ${p.avgdl}::float8))`;
  const completion = (s: SQL) => sql`coalesce((
    select sum(t.idf * ${weight(sql`c.tf::float8`, sql`${s}.length`)})
    from complete t
    join bot_chunk_postings c on c.bot_id = ${p.botId} and c.term = t.term and c.chunk_id = ${s}.chunk_id
  ), 0)`;
  const rows = await tx.execute<{ chunk_id: string | null; score: number }>(sql`
    with complete as materialized (
      select * from json_to_recordset(${json(p.complete)}::json) as t(term text, idf float8)
    ),
    sums as materialized (
      -- Each term's postings come in chunk order from the primary key, so Postgres merges
      -- them and sums each chunk's weights as its rows pass, without a hash table.
      select chunk_id, min(length) as length, sum(w) as partial
      from (select * from (${sql.join(
        p.accumulate.map(
          (t) => sql`(
            select chunk_id, length::float8 as length, ${t.idf}::float8 * ${weight(sql`tf::float8`, sql`length::float8`)} as w
            from bot_chunk_postings
            where bot_id = ${p.botId} and term = ${t.term} ${p.scope ? sql`and ${p.scope}` : sql``}
            order by chunk_id
          )`,
        ),
        sql` union all `,
      )}) u
        order by chunk_id
      ) o
      group by chunk_id
    ),
    probe as materialized (
      select s.partial + ${completion(sql`s`)} as score
      from (select * from sums order by partial desc limit ${2 * p.limit}) s
    ),
    threshold as (
      select greatest(coalesce((select score from probe order by score desc offset ${p.limit - 1} limit 1), 0), ${p.floor}::float8) as t
    ),
    answer as (
      select s.chunk_id, s.partial + ${completion(sql`s`)} as score
      from sums s, threshold
      where s.partial + ${common}::float8 >= threshold.t * (1 - 1e-9)
      order by score desc, s.chunk_id
      limit ${p.limit + 1}
    )
    select chunk_id::text, score from answer
    union all
    select null, t from threshold`);
  const threshold = Number(rows.find((r) => r.chunk_id === null)!.score);
  // One more than asked, so chunks tied within rounding at the cut are ordered by id.
  const hits = rows
    .filter((r) => r.chunk_id !== null)
    .map((r) => ({ id: r.chunk_id!, score: Number(r.score) }))
    .sort(byScoreThenId)
    .slice(0, p.limit);
  return { hits, threshold, common };
}

export interface ChunkDetails {
  id: string;
  documentId: string;
  documentName: string;
  chunkIndex: number;
  content: string;
  metadata: ChunkMetadata;
}

type DetailsRow = {
  id: string;
  document_id: string;
  document_name: string;
  chunk_index: number;
  content: string;
  metadata: ChunkMetadata;
};

/** A chunk's display fields, for a query that joins chunks `c` and their documents `d`. */
const detailsColumns = sql`c.document_id, d.name as document_name, c.chunk_index, c.content, c.metadata`;

const toDetails = (r: DetailsRow): ChunkDetails => ({
  id: r.id,
  documentId: r.document_id,
  documentName: r.document_name,
  chunkIndex: r.chunk_index,
  content: r.content,
  metadata: r.metadata,
});

/** Display fields of retrieved chunks; the bot filter makes a foreign id return nothing. */
async function getChunkDetails(
  db: Executor,
  botId: string,
  ids: string[],
): Promise<Map<string, ChunkDetails>> {
  if (ids.length === 0) return new Map();
  const rows = await db.execute<DetailsRow>(sql`
    select c.id, ${detailsColumns}
    from bot_document_chunks c
    join bot_documents d on d.id = c.document_id
    where c.bot_id = ${botId} and c.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Map(rows.map((r) => [r.id, toDetails(r)]));
}

export interface BotIndexInfo {
  chunkCount: number;
  /** The embedding model of the bot's chunks, or null when it has none. */
  embeddingModel: string | null;
  /**
   * With a metadata filter: the chunks of the matching documents, from the documents'
   * chunk counts (a planning hint: exact scan or index walk). Null without a filter.
   */
  filteredChunkCount: number | null;
}

/** One bot's index as of one moment: every read below sees the same committed state. */
export interface RetrievalSnapshot {
  /** Chunk count (from the trigger-maintained stats) and the chunks' embedding model. */
  info: BotIndexInfo;
  /** Rows in the whole chunk table, from the planner's statistics (cheap, approximate). */
  totalChunksEstimate: number;
  nearest(params: Pick<VectorSearchParams, "embedding" | "limit" | "exact"> & { withDetails?: boolean }): Promise<VectorHit[]>;
  bm25(params: Omit<KeywordSearchParams, "botId">): Promise<KeywordHit[]>;
  details(ids: string[]): Promise<Map<string, ChunkDetails>>;
}

/**
 * Runs `read` against one consistent view of a bot's index: a REPEATABLE READ, read-only
 * transaction on one connection, so a re-index that commits meanwhile (the worker swaps a
 * document's chunks in one transaction) is seen wholly or not at all, by both legs and by
 * the detail lookup alike. The first statement applies the transaction's settings (JIT
 * off, the HNSW walk's) and reads the bot's index info in the same round trip. With a
 * `filter`, both legs search only chunks of the bot's documents whose metadata match.
 */
export async function retrievalSnapshot<T>(
  db: Database,
  {
    botId,
    hnsw,
    filter,
  }: { botId: string; hnsw: { limit: number; efSearch: number; maxScanTuples: number }; filter?: MetadataFilter },
  read: (snapshot: RetrievalSnapshot) => Promise<T>,
): Promise<T> {
  return db.transaction(
    async (tx) => {
      const [row] = await tx.execute<{
        chunk_count: string | null;
        embedding_model: string | null;
        total: number;
        filtered_chunk_count: number | null;
      }>(sql`
        select ${hnswSettings(hnsw)},
               (select chunk_count from bot_search_stats where bot_id = ${botId}) as chunk_count,
               (select embedding_model from bot_document_chunks where bot_id = ${botId} limit 1) as embedding_model,
               (select greatest(reltuples, 0)::float8 from pg_class where oid = 'bot_document_chunks'::regclass) as total,
               ${filter ? filteredChunkCountSql(botId, filter) : sql`null::float8`} as filtered_chunk_count`);
      const filteredChunkCount = row?.filtered_chunk_count == null ? null : Number(row.filtered_chunk_count);
      return read({
        info: { chunkCount: Number(row?.chunk_count ?? 0), embeddingModel: row?.embedding_model ?? null, filteredChunkCount },
        totalChunksEstimate: Number(row?.total ?? 0),
        nearest: (params) => nearestChunks(tx, { botId, filter, ...params }),
        bm25: (params) => bm25TopK(tx, { botId, filter, ...params }),
        details: (ids) => getChunkDetails(tx, botId, ids),
      });
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

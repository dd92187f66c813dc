/**
 * Retrieval queries over `bot_document_chunks`, always filtered by bot: nearest
 * neighbours by cosine distance (HNSW with pgvector 0.8 iterative scans, or an exact
 * scan), and BM25 keyword ranking computed entirely in Postgres from the per-bot term
 * statistics kept by the triggers of migration 0005.
 */
import { sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import type { ChunkMetadata } from "@docent/contracts/json";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { chunkInFilteredDocuments, filteredChunkCountSql } from "./metadata-filter";

export interface VectorHit {
  id: string;
  /** Cosine distance (0 = same direction, 2 = opposite). */
  distance: number;
  embeddingModel: string;
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

/**
 * Keyword search under a filter matching at most this many chunks starts from the matching
 * documents' chunks (about 20 us each); a wider filter probes the text index's candidates,
 * as the unfiltered search scores them (`pnpm bench:filters`).
 */
export const KEYWORD_FILTER_FIRST_MAX_CHUNKS = 2_000;

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
 * materialised and sorted again.
 */
async function nearestChunks(
  tx: Executor,
  { botId, embedding, limit, exact, filter }: Pick<VectorSearchParams, "botId" | "embedding" | "limit" | "exact" | "filter">,
): Promise<VectorHit[]> {
  const q = vectorLiteral(embedding);
  // `+ 0` keeps the planner off the HNSW index: the ORDER BY no longer matches the
  // indexed operator, so it filters by bot (btree) and sorts the distances exactly.
  const rows = await tx.execute<{ id: string; distance: number; embedding_model: string }>(
    exact
      ? sql`
        select c.id, (c.embedding <=> ${q}::vector) as distance, c.embedding_model
        from bot_document_chunks c
        where c.bot_id = ${botId} ${documentScope(botId, filter, false)}
        order by (c.embedding <=> ${q}::vector) + 0
        limit ${limit}`
      : sql`
        with nearest as materialized (
          select c.id, (c.embedding <=> ${q}::vector) as distance, c.embedding_model
          from bot_document_chunks c
          where c.bot_id = ${botId} ${documentScope(botId, filter, true)}
          order by c.embedding <=> ${q}::vector
          limit ${limit}
        )
        select id, distance, embedding_model from nearest order by distance`,
  );
  return rows.map((r) => ({ id: r.id, distance: Number(r.distance), embeddingModel: r.embedding_model }));
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
   * The first pass scores the chunks holding the query's rarest terms, adding terms
   * (rarest first) while their document frequencies sum to at most this many.
   */
  firstPassPostings?: number;
  /**
   * Only chunks of the bot's documents whose metadata match. Both passes select
   * candidates under it, so the first pass's threshold is the k-th best score among
   * matching chunks and the MaxScore pruning stays exact. Term statistics stay the bot's.
   */
  filter?: MetadataFilter;
  /** The chunks the filter matches, when known: decides how the filter is applied. */
  filteredChunkCount?: number | null;
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
 * ln(1 + (N - df + 0.5) / (df + 0.5)); term frequencies come from the chunk's tsvector
 * positions, isolated in C by setweight + ts_filter instead of unnesting the whole
 * vector; chunk length is the generated `search_length`.
 *
 * Exact top-k without scoring every chunk that holds a common word (MaxScore pruning):
 * a term adds at most idf * (k1 + 1) to any chunk, so once `limit` chunks score at least
 * T, a chunk holding only terms whose bounds sum to less than T cannot enter the result.
 * A first pass scores the chunks holding the rarest terms and gives T; the common terms
 * whose bounds stay under T together are then "non-essential": they still score, but
 * select no candidates. When the first pass already covered every essential term its
 * result is the answer; otherwise a second pass scores the chunks holding any essential
 * term. Either way the ranking equals BM25 over all matching chunks.
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
  { botId, query, textSearchConfig, limit, k1 = 1.2, b = 0.75, firstPassPostings = 20_000, filter, filteredChunkCount }: KeywordSearchParams,
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
  const score = (selecting: number) =>
    scoreKeywordCandidates(tx, {
      botId,
      terms,
      selecting: terms.slice(0, selecting),
      avgdl,
      limit,
      k1,
      b,
      filter,
      filterFirst: filteredChunkCount != null && filteredChunkCount <= KEYWORD_FILTER_FIRST_MAX_CHUNKS,
    });

  let firstPass = 1;
  let postings = terms[0]!.docFreq;
  while (firstPass < terms.length && postings + terms[firstPass]!.docFreq <= firstPassPostings) {
    postings += terms[firstPass]!.docFreq;
    firstPass++;
  }
  let hits = await score(firstPass);
  const threshold = hits.length >= limit ? hits[limit - 1]!.score : 0;
  const essential = essentialTermCount(terms, threshold);
  if (essential > firstPass) hits = await score(essential);
  return hits.map((h) => ({ ...h, normalized: maxScore > 0 ? Math.min(1, h.score / maxScore) : 0 }));
}

/**
 * How many of the rarest terms must select candidates (terms ordered rarest first, i.e.
 * by decreasing bound): the others, taken from the common end, are left out while their
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

/** BM25 of the bot's chunks that hold any `selecting` term, scored on every query term. */
async function scoreKeywordCandidates(
  tx: Executor,
  p: {
    botId: string;
    terms: QueryTerm[];
    selecting: QueryTerm[];
    avgdl: number;
    limit: number;
    k1: number;
    b: number;
    filter?: MetadataFilter | undefined;
    filterFirst?: boolean;
  },
): Promise<{ id: string; score: number }[]> {
  const terms = JSON.stringify(p.terms.map(({ term, idf }) => ({ term, idf })));
  const selecting = JSON.stringify(p.selecting.map((t) => t.term));
  // A lexeme as a tsquery literal: quotes doubled, backslashes escaped.
  const quoted = sql.raw(`'''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || ''''`);
  const rows = await tx.execute<{ id: string; score: number }>(sql`
    with terms as materialized (
      select * from json_to_recordset(${terms}::json) as t(term text, idf float8)
    ),
    cand as materialized (
      select c.id, c.search_length,
             ts_filter(setweight(c.search_vector, 'A', (select array_agg(term) from terms)), '{a}') as hits
      from bot_document_chunks c
      where c.bot_id = ${p.botId} ${documentScope(p.botId, p.filter, !p.filterFirst)}
        and c.search_vector @@ (
          select string_agg(${quoted}, ' | ')::tsquery
          from json_array_elements_text(${selecting}::json) as s(term))
    )
    select cand.id,
           sum(t.idf * (tf.n * (${p.k1}::float8 + 1))
               / (tf.n + ${p.k1}::float8 * (1 - ${p.b}::float8 + ${p.b}::float8 * cand.search_length / ${p.avgdl}::float8))) as score
    from cand
    cross join lateral (
      select u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 as n from unnest(cand.hits) as u
    ) tf
    join terms t on t.term = tf.lexeme
    group by cand.id
    order by score desc, cand.id
    limit ${p.limit}`);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}

export interface ChunkDetails {
  id: string;
  documentId: string;
  documentName: string;
  chunkIndex: number;
  content: string;
  metadata: ChunkMetadata;
}

/** Display fields of retrieved chunks; the bot filter makes a foreign id return nothing. */
async function getChunkDetails(
  db: Executor,
  botId: string,
  ids: string[],
): Promise<Map<string, ChunkDetails>> {
  if (ids.length === 0) return new Map();
  const rows = await db.execute<{
    id: string;
    document_id: string;
    document_name: string;
    chunk_index: number;
    content: string;
    metadata: ChunkMetadata;
  }>(sql`
    select c.id, c.document_id, d.name as document_name, c.chunk_index, c.content, c.metadata
    from bot_document_chunks c
    join bot_documents d on d.id = c.document_id
    where c.bot_id = ${botId} and c.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        documentId: r.document_id,
        documentName: r.document_name,
        chunkIndex: r.chunk_index,
        content: r.content,
        metadata: r.metadata,
      },
    ]),
  );
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
  nearest(params: Pick<VectorSearchParams, "embedding" | "limit" | "exact">): Promise<VectorHit[]>;
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
        info: {
          chunkCount: Number(row?.chunk_count ?? 0),
          embeddingModel: row?.embedding_model ?? null,
          filteredChunkCount,
        },
        totalChunksEstimate: Number(row?.total ?? 0),
        nearest: (params) => nearestChunks(tx, { botId, filter, ...params }),
        bm25: (params) => bm25TopK(tx, { botId, filter, filteredChunkCount, ...params }),
        details: (ids) => getChunkDetails(tx, botId, ids),
      });
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

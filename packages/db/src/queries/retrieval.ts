/**
 * Retrieval queries over `bot_document_chunks`, always filtered by bot: nearest
 * neighbours by cosine distance (HNSW with pgvector 0.8 iterative scans, or an exact
 * scan), and one consistent snapshot of a bot's index for both legs (BM25 keyword
 * ranking itself is in bm25.ts).
 */
import { type SQL, sql } from "drizzle-orm";
import { type Database, type StatementRunner, executePrepared } from "../client";
import type { ChunkMetadata } from "@docent/contracts/json";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { type KeywordHit, type KeywordSearchParams, bm25TopK } from "./bm25";
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
 * The HNSW walk's settings for the current transaction (set_config(..., true) = SET LOCAL).
 * `efSearch` is a number, or SQL computing it in the same statement.
 */
const hnswSettings = (p: { limit: number; efSearch: number | SQL; maxScanTuples: number; forceIndex?: boolean }) => sql`
  set_config('hnsw.iterative_scan', 'relaxed_order', true),
  set_config('hnsw.ef_search', ${typeof p.efSearch === "number" ? String(Math.min(1000, Math.max(p.efSearch, p.limit))) : p.efSearch}, true),
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
  tx: StatementRunner,
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
  const rows = await executePrepared<{ id: string; distance: number; embedding_model: string } & Partial<DetailsRow>>(tx, sql`
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
  db: StatementRunner,
  botId: string,
  ids: string[],
): Promise<Map<string, ChunkDetails>> {
  if (ids.length === 0) return new Map();
  const rows = await executePrepared<DetailsRow>(db, sql`
    select c.id, ${detailsColumns}
    from bot_document_chunks c
    join bot_documents d on d.id = c.document_id
    where c.bot_id = ${botId} and c.id = any(${`{${ids.join(",")}}`}::uuid[])`);
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
 * The HNSW candidate list for a bot, in SQL: `efSearch` for a graph of a million chunks or
 * more, and less for smaller ones, whose walks reach the same recall sooner:
 * efSearch * (chunks / 1M)^0.3, at least 40 and the limit. With the default 200, a
 * 100,000-chunk bot walks with 100 (recall@10 1.000 there, as at 200; docs/benchmarks.md)
 * and a 1M-chunk bot with 200 (0.986, against 0.926 at 100).
 */
const efSearchForBot = (botId: string, efSearch: number, limit: number) => sql`(greatest(${limit}::int, 40, least(1000, round(
    ${efSearch}::float8 * power(least(coalesce((select chunk_count from bot_search_stats where bot_id = ${botId}), 0)::float8 / 1e6, 1), 0.3)
  )))::int)::text`;

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
  // postgres.js opens the transaction with its mode in one statement (drizzle's
  // transaction would send SET TRANSACTION as a round trip of its own).
  return db.$client.begin("isolation level repeatable read read only", async (tx) => {
    const [row] = await executePrepared<{
      chunk_count: string | null;
      embedding_model: string | null;
      total: number;
      filtered_chunk_count: number | null;
    }>(tx, sql`
      select ${hnswSettings({ ...hnsw, efSearch: efSearchForBot(botId, hnsw.efSearch, hnsw.limit) })},
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
  }) as Promise<T>;
}

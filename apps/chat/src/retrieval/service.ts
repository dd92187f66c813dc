/**
 * Retrieval for one bot in its configured mode: vector (HNSW or exact scan), keyword
 * (BM25 over the postings, @docent/db/queries/bm25) or hybrid (weighted RRF of both, each
 * leg fetched deeper than top-k). Every query is scoped to the bot; the caller has already
 * checked the bot belongs to the principal's workspace.
 *
 * The question is embedded first (an HTTP call for remote embedders, never inside a
 * transaction); then both legs and the chunks' details are read from one snapshot of the
 * bot's index, so a re-index committing meanwhile shows wholly old or wholly new chunks.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import type { RetrievalMode } from "@docent/contracts/json";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { type RetrievalSnapshot, retrievalSnapshot } from "@docent/db/queries/retrieval";
import { ChatError } from "../errors";
import { type FusedHit, fuseReciprocalRank } from "./fusion";
import { createTermPacker } from "./term-packs";
import type { QueryEmbedder, RetrievalBot, RetrievalResult, RetrievedChunk } from "./types";

export interface RetrievalTuning {
  /** Bots with at most this many chunks are always scanned exactly (faster than the graph walk). */
  exactScanMaxChunks: number;
  /**
   * A bot holding less than this share of the whole chunk table is scanned exactly too,
   * up to `exactScanMaxLowShareChunks`: the filtered graph walk visits mostly other
   * tenants' rows and measured recall@10 stays near 0.8 at a 1% share (docs/benchmarks.md).
   */
  hnswMinShare: number;
  exactScanMaxLowShareChunks: number;
  /**
   * HNSW candidate list size (recall vs latency) for a bot of a million chunks; smaller bots
   * walk with less (efSearch * (chunks / 1M)^0.3, queries/retrieval.ts). 200: on the
   * 1M-chunk benchmark recall@10 is 0.986 against 0.926 at 100, for about 1.5 ms more at
   * the median; at 100,000 chunks 100 already reaches 1.000 (docs/benchmarks.md).
   */
  efSearch: number;
  /** Upper bound on tuples an iterative scan visits; beyond it the scan falls back to exact. */
  maxScanTuples: number;
  /** Each hybrid leg fetches max(topK * depthFactor, minDepth) rows before fusion. */
  hybridDepthFactor: number;
  hybridMinDepth: number;
  bm25: { k1: number; b: number };
}

export const defaultRetrievalTuning: RetrievalTuning = {
  exactScanMaxChunks: 5_000,
  hnswMinShare: 0.05,
  exactScanMaxLowShareChunks: 50_000,
  efSearch: 200,
  maxScanTuples: 20_000,
  hybridDepthFactor: 4,
  hybridMinDepth: 40,
  bm25: { k1: 1.2, b: 0.75 },
};

export interface RetrieveParams {
  bot: RetrievalBot;
  query: string;
  /** Overrides of the bot's rag config, for the retrieval-test endpoint and the eval. */
  mode?: RetrievalMode;
  topK?: number;
  minScore?: number;
  fusionWeights?: { vector: number; keyword: number };
  /**
   * Only chunks of documents whose metadata match, applied inside both legs' SQL: a
   * filtered search returns no other chunk, and top-k whenever k matching chunks exist.
   */
  filter?: MetadataFilter;
  /**
   * The question's embedding when the caller already has it (the answer path embeds once
   * for curated answers and retrieval); it must come from the workspace's embedder.
   */
  queryEmbedding?: { model: string; embedding: number[] };
}

export interface RetrievalServiceDeps {
  db: Database;
  /** The workspace's embedder (BYOK settings or the platform default). */
  embedderFor(workspaceId: string): Promise<QueryEmbedder>;
  tuning?: Partial<RetrievalTuning>;
  /** Where a failed re-packing of keyword postings is reported (it only costs speed). */
  logger?: Logger;
}

export type RetrievalService = ReturnType<typeof createRetrievalService>;

const now = () => performance.now();

export function createRetrievalService({ db, embedderFor, tuning: overrides, logger }: RetrievalServiceDeps) {
  const tuning = { ...defaultRetrievalTuning, ...overrides };
  const termPacker = createTermPacker({ db, logger });

  /** The workspace's embedder, refused when it is not the model the bot's chunks carry. */
  function checkModel(embedderId: string, chunkModel: string) {
    if (embedderId !== chunkModel) {
      throw new ChatError(
        "EMBEDDING_MODEL_MISMATCH",
        `This bot's documents were embedded with "${chunkModel}" but the workspace now embeds questions with "${embedderId}". Re-index the bot's documents (or restore the previous embedding settings) before using vector or hybrid retrieval.`,
        { details: { chunksModel: chunkModel, queryModel: embedderId } },
      );
    }
  }

  async function embedQuery(bot: RetrievalBot, query: string) {
    const t0 = now();
    const embedder = await embedderFor(bot.workspaceId);
    const [embedding] = await embedder.embed([query]);
    if (!embedding) throw new ChatError("EMBEDDING_FAILED", "The embedder returned no vector", { retryable: true });
    return { model: embedder.id, embedding, ms: now() - t0 };
  }

  async function vectorLeg(
    snapshot: RetrievalSnapshot,
    query: { model: string; embedding: number[] },
    limit: number,
    withDetails: boolean,
  ) {
    const { embeddingModel: chunkModel, filteredChunkCount } = snapshot.info;
    // Under a filter, the matching chunks are what the walk must find: a selective filter
    // makes them a small share of the table, which the rules below scan exactly.
    const chunkCount = filteredChunkCount ?? snapshot.info.chunkCount;
    if (snapshot.info.chunkCount === 0 || chunkModel === null) return { hits: [], exact: true, ms: 0, model: null };
    checkModel(query.model, chunkModel);
    const t0 = now();
    let exact = chunkCount <= tuning.exactScanMaxChunks;
    if (!exact) {
      const share = chunkCount / Math.max(snapshot.totalChunksEstimate, chunkCount);
      exact =
        (share < tuning.hnswMinShare && chunkCount <= tuning.exactScanMaxLowShareChunks) ||
        // The walk must visit about limit / share tuples to find `limit` of this bot's rows;
        // past the scan budget it would give up early.
        limit / share > tuning.maxScanTuples / 2;
    }
    let hits = await snapshot.nearest({ embedding: query.embedding, limit, exact, withDetails });
    if (!exact && hits.length < Math.min(limit, chunkCount)) {
      // The iterative scan hit its budget before finding enough of this bot's rows.
      exact = true;
      hits = await snapshot.nearest({ embedding: query.embedding, limit, exact, withDetails });
    }
    const stray = hits.find((h) => h.embeddingModel !== chunkModel);
    if (stray) {
      throw new ChatError(
        "EMBEDDING_MODEL_MISMATCH",
        `This bot's chunks mix embedding models ("${chunkModel}", "${stray.embeddingModel}"); re-index its documents.`,
      );
    }
    return { hits, exact, ms: now() - t0, model: query.model };
  }

  /** BM25's top `limit`; the terms it read from the index are added to `unpacked`. */
  async function keywordLeg(snapshot: RetrievalSnapshot, bot: RetrievalBot, query: string, limit: number, unpacked: string[]) {
    const t0 = now();
    const hits = snapshot.info.chunkCount === 0
      ? []
      : await snapshot.bm25({ query, textSearchConfig: bot.language, limit, unpacked, ...tuning.bm25 });
    return { hits, ms: now() - t0 };
  }

  async function retrieve(params: RetrieveParams): Promise<RetrievalResult> {
    const started = now();
    const { bot, query } = params;
    const mode = params.mode ?? bot.ragConfig.retrievalMode;
    const topK = params.topK ?? bot.ragConfig.topK;
    const minScore = params.minScore ?? bot.ragConfig.minScore;
    const weights = params.fusionWeights ?? bot.ragConfig.fusionWeights;
    const depth =
      mode === "hybrid" ? Math.max(topK * tuning.hybridDepthFactor, tuning.hybridMinDepth, topK) : topK;

    const wantVector = mode === "vector" || (mode === "hybrid" && weights.vector > 0);
    const wantKeyword = mode === "keyword" || (mode === "hybrid" && weights.keyword > 0);
    const embedded = wantVector
      ? params.queryEmbedding
        ? { ...params.queryEmbedding, ms: 0 }
        : await embedQuery(bot, query)
      : null;

    const hnsw = { limit: depth, efSearch: tuning.efSearch, maxScanTuples: tuning.maxScanTuples };
    const unpacked: string[] = [];
    const result = await retrievalSnapshot(db, { botId: bot.id, hnsw, filter: params.filter }, async (snapshot) => {
      // One connection: the legs' statements queue on it, back to back.
      const [vector, keyword] = await Promise.all([
        // Alone, the vector leg's hits are the answer: it reads their details as it finds them.
        embedded ? vectorLeg(snapshot, embedded, depth, mode === "vector") : null,
        wantKeyword ? keywordLeg(snapshot, bot, query, depth, unpacked) : null,
      ]);

      const vectorHits = (vector?.hits ?? []).map((h) => ({ id: h.id, score: Math.max(0, 1 - h.distance), distance: h.distance }));
      const keywordHits = (keyword?.hits ?? []).map((h) => ({ id: h.id, score: h.normalized, bm25: h.score }));
      const vectorById = new Map(vectorHits.map((h, i) => [h.id, { ...h, rank: i + 1 }]));
      const keywordById = new Map(keywordHits.map((h, i) => [h.id, { ...h, rank: i + 1 }]));

      let ranked: FusedHit[];
      if (mode === "hybrid") {
        ranked = fuseReciprocalRank({ vector: vectorHits, keyword: keywordHits }, weights);
      } else {
        const list = mode === "vector" ? vectorHits : keywordHits;
        ranked = list.map((h) => ({ id: h.id, score: h.score, rrf: 0 }));
      }
      ranked = ranked.filter((h) => h.score >= minScore).slice(0, topK);

      const details =
        mode === "vector"
          ? new Map((vector?.hits ?? []).flatMap((h) => (h.details ? [[h.id, h.details] as const] : [])))
          : await snapshot.details(ranked.map((h) => h.id));
      const chunks: RetrievedChunk[] = ranked.map((hit, i) => {
        const d = details.get(hit.id);
        // The legs and this lookup read the same snapshot: a ranked chunk is always there.
        if (!d) throw new Error(`retrieval: ranked chunk ${hit.id} is missing from its own snapshot`);
        const v = vectorById.get(hit.id);
        const k = keywordById.get(hit.id);
        return {
          chunkId: d.id,
          documentId: d.documentId,
          documentName: d.documentName,
          chunkIndex: d.chunkIndex,
          content: d.content,
          page: d.metadata.page ?? null,
          headingPath: d.metadata.headingPath ?? [],
          score: hit.score,
          rank: i + 1,
          ...(v ? { vector: { rank: v.rank, score: v.score, distance: v.distance } } : {}),
          ...(k ? { keyword: { rank: k.rank, score: k.score, bm25: k.bm25 } } : {}),
          ...(mode === "hybrid" ? { hybrid: { rank: i + 1, score: hit.score } } : {}),
        };
      });
      return {
        mode,
        topK,
        embeddingModel: vector?.model ?? null,
        exactScan: vector ? vector.exact : null,
        chunks,
        queryEmbedding: embedded ? { model: embedded.model, embedding: embedded.embedding } : null,
        timingsMs: {
          embed: round(embedded?.ms ?? 0),
          vector: round(vector?.ms ?? 0),
          keyword: round(keyword?.ms ?? 0),
          total: round(now() - started),
        },
      };
    });
    // After answering, on its own connection: the next search reads these terms packed.
    termPacker.pack(bot.id, unpacked);
    return result;
  }

  return { retrieve, tuning, termPacker };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

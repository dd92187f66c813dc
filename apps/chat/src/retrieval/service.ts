/**
 * Retrieval for one bot in its configured mode: vector (HNSW or exact scan), keyword
 * (BM25 in Postgres) or hybrid (weighted RRF of both, each leg fetched deeper than
 * top-k). Every query is scoped to the bot; the caller has already checked the bot
 * belongs to the principal's workspace.
 */
import type { Database } from "@docent/db/client";
import type { RetrievalMode } from "@docent/db/json";
import {
  estimateTotalChunks,
  getBotIndexInfo,
  getChunkDetails,
  searchChunksByKeyword,
  searchChunksByVector,
} from "@docent/db/queries/retrieval";
import { ChatError } from "../errors";
import { type FusedHit, fuseReciprocalRank } from "./fusion";
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
   * HNSW candidate list size (recall vs latency). 200: on the 1M-chunk benchmark recall@10
   * is 0.986 against 0.926 at 100, for about 1.5 ms more at the median (docs/benchmarks.md).
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
}

export interface RetrievalServiceDeps {
  db: Database;
  /** The workspace's embedder (BYOK settings or the platform default). */
  embedderFor(workspaceId: string): Promise<QueryEmbedder>;
  tuning?: Partial<RetrievalTuning>;
}

export type RetrievalService = ReturnType<typeof createRetrievalService>;

const now = () => performance.now();

export function createRetrievalService({ db, embedderFor, tuning: overrides }: RetrievalServiceDeps) {
  const tuning = { ...defaultRetrievalTuning, ...overrides };

  async function vectorLeg(bot: RetrievalBot, query: string, limit: number, chunkCount: number, chunkModel: string | null) {
    if (chunkCount === 0 || chunkModel === null) {
      return { hits: [], exact: true, embedMs: 0, searchMs: 0, model: null as string | null };
    }
    const t0 = now();
    const embedder = await embedderFor(bot.workspaceId);
    if (embedder.id !== chunkModel) {
      throw new ChatError(
        "EMBEDDING_MODEL_MISMATCH",
        409,
        `This bot's documents were embedded with "${chunkModel}" but the workspace now embeds questions with "${embedder.id}". Re-index the bot's documents (or restore the previous embedding settings) before using vector or hybrid retrieval.`,
        { details: { chunksModel: chunkModel, queryModel: embedder.id } },
      );
    }
    const [embedding] = await embedder.embed([query]);
    if (!embedding) throw new ChatError("EMBEDDING_FAILED", 502, "The embedder returned no vector", { retryable: true });
    const t1 = now();
    let exact = chunkCount <= tuning.exactScanMaxChunks;
    if (!exact) {
      const total = Math.max(await estimateTotalChunks(db), chunkCount);
      const share = chunkCount / total;
      exact =
        (share < tuning.hnswMinShare && chunkCount <= tuning.exactScanMaxLowShareChunks) ||
        // The walk must visit about limit / share tuples to find `limit` of this bot's rows;
        // past the scan budget it would give up early.
        limit / share > tuning.maxScanTuples / 2;
    }
    const want = Math.min(limit, chunkCount);
    let hits = await searchChunksByVector(db, {
      botId: bot.id,
      embedding,
      limit,
      exact,
      efSearch: tuning.efSearch,
      maxScanTuples: tuning.maxScanTuples,
    });
    if (!exact && hits.length < want) {
      // The iterative scan hit its budget before finding enough of this bot's rows.
      exact = true;
      hits = await searchChunksByVector(db, { botId: bot.id, embedding, limit, exact });
    }
    const stray = hits.find((h) => h.embeddingModel !== chunkModel);
    if (stray) {
      throw new ChatError(
        "EMBEDDING_MODEL_MISMATCH",
        409,
        `This bot's chunks mix embedding models ("${chunkModel}", "${stray.embeddingModel}"); re-index its documents.`,
      );
    }
    return { hits, exact, embedMs: t1 - t0, searchMs: now() - t1, model: embedder.id };
  }

  async function retrieve(params: RetrieveParams): Promise<RetrievalResult> {
    const started = now();
    const { bot, query } = params;
    const mode = params.mode ?? bot.ragConfig.retrievalMode;
    const topK = params.topK ?? bot.ragConfig.topK;
    const minScore = params.minScore ?? bot.ragConfig.minScore;
    const weights = params.fusionWeights ?? bot.ragConfig.fusionWeights;
    const info = await getBotIndexInfo(db, bot.id);
    const depth =
      mode === "hybrid" ? Math.max(topK * tuning.hybridDepthFactor, tuning.hybridMinDepth, topK) : topK;

    const wantVector = mode === "vector" || (mode === "hybrid" && weights.vector > 0);
    const wantKeyword = mode === "keyword" || (mode === "hybrid" && weights.keyword > 0);
    const [vector, keyword] = await Promise.all([
      wantVector ? vectorLeg(bot, query, depth, info.chunkCount, info.embeddingModel) : null,
      wantKeyword
        ? (async () => {
            const t0 = now();
            const hits = info.chunkCount === 0 ? [] : await searchChunksByKeyword(db, {
              botId: bot.id,
              query,
              textSearchConfig: bot.language,
              limit: depth,
              ...tuning.bm25,
            });
            return { hits, ms: now() - t0 };
          })()
        : null,
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

    const details = await getChunkDetails(db, bot.id, ranked.map((h) => h.id));
    const chunks: RetrievedChunk[] = [];
    for (const hit of ranked) {
      const d = details.get(hit.id);
      if (!d) continue; // deleted between the search and now
      const v = vectorById.get(hit.id);
      const k = keywordById.get(hit.id);
      chunks.push({
        chunkId: d.id,
        documentId: d.documentId,
        documentName: d.documentName,
        chunkIndex: d.chunkIndex,
        content: d.content,
        page: d.metadata.page ?? null,
        headingPath: d.metadata.headingPath ?? [],
        score: hit.score,
        rank: chunks.length + 1,
        ...(v ? { vector: { rank: v.rank, score: v.score, distance: v.distance } } : {}),
        ...(k ? { keyword: { rank: k.rank, score: k.score, bm25: k.bm25 } } : {}),
        ...(mode === "hybrid" ? { hybrid: { rank: chunks.length + 1, score: hit.score } } : {}),
      });
    }
    return {
      mode,
      topK,
      embeddingModel: vector?.model ?? null,
      exactScan: vector ? vector.exact : null,
      chunks,
      timingsMs: {
        embed: round(vector?.embedMs ?? 0),
        vector: round(vector?.searchMs ?? 0),
        keyword: round(keyword?.ms ?? 0),
        total: round(now() - started),
      },
    };
  }

  return { retrieve, tuning };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

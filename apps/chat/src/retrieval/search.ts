/**
 * Retrieval as answers, MCP and the retrieval test use it: the bot's retrieval mode
 * (service.ts), then, when the bot reranks and a reranker is configured, the reranking
 * step (rerank.ts) over the mode's top N before keeping top-k. Kept apart from
 * `retrieve()` so retrieval can change without touching reranking.
 *
 * A reranker never makes retrieval fail: on a timeout, an error, an unusable answer or a
 * refused address the mode's own order is kept, the failure is logged and reported in
 * the result's `rerank` (status "failed" with the reason).
 */
import type { Logger } from "@docent/config/logger";
import type { retrieveResponseSchema } from "@docent/contracts/chat";
import type { z } from "zod";
import { type RerankerFor, RerankError, orderByRerank } from "./rerank";
import type { RetrievalService, RetrieveParams } from "./service";
import type { RetrievalResult, RetrievedChunk } from "./types";

export interface RankedChunk extends RetrievedChunk {
  /** The reranker's rank and relevance score, when it scored this chunk. */
  rerank?: { rank: number; score: number };
}

/**
 * How reranking went (the search API's `rerank`): off, the bot does not rerank;
 * unavailable, no reranker configured; applied, every candidate scored; partial, some
 * were not scored (or indices were unknown) and follow in the mode's order; failed, the
 * mode's order was kept.
 */
export type RerankReport = z.infer<typeof retrieveResponseSchema>["rerank"];

export interface RankedResult extends Omit<RetrievalResult, "chunks" | "timingsMs"> {
  chunks: RankedChunk[];
  rerank: RerankReport;
  timingsMs: RetrievalResult["timingsMs"] & { rerank: number };
}

export interface SearchParams extends RetrieveParams {
  /** Overrides the bot's rerank toggle (retrieval test, evaluation runs). */
  rerank?: boolean;
}

export interface SearchServiceDeps {
  retrieval: Pick<RetrievalService, "retrieve">;
  /** The workspace's (or platform's) reranker; null when there is none. */
  rerankerFor?: RerankerFor;
  logger?: Logger;
}

export type SearchService = ReturnType<typeof createSearchService>;

const DEFAULT_TOP_N = 20;

export function createSearchService({ retrieval, rerankerFor, logger }: SearchServiceDeps) {
  async function retrieve(params: SearchParams): Promise<RankedResult> {
    const { bot } = params;
    const config = bot.ragConfig.rerank ?? { enabled: false, topN: DEFAULT_TOP_N };
    const wanted = params.rerank ?? config.enabled;
    const topK = params.topK ?? bot.ragConfig.topK;
    const report = (status: RerankReport["status"], extra: Partial<RerankReport> = {}): RerankReport => ({
      status,
      reranker: null,
      candidates: 0,
      scored: 0,
      ignored: 0,
      ...extra,
    });
    const plain = (result: RetrievalResult, rerank: RerankReport, ms = 0): RankedResult => ({
      ...result,
      topK,
      chunks: result.chunks.slice(0, topK).map((c, i) => ({ ...c, rank: i + 1 })),
      rerank,
      timingsMs: { ...result.timingsMs, rerank: round(ms) },
    });

    if (!wanted || !rerankerFor) return plain(await retrieval.retrieve(params), report(wanted ? "unavailable" : "off"));

    const topN = Math.max(config.topN, topK);
    const [candidates, resolved] = await Promise.all([
      retrieval.retrieve({ ...params, topK: topN }),
      rerankerFor(bot.workspaceId).then(
        (reranker) => ({ reranker, error: null }),
        (error: unknown) => ({ reranker: null, error }),
      ),
    ]);
    if (resolved.error) return fail(resolved.error, null, 0);
    const { reranker } = resolved;
    if (!reranker) return plain(candidates, report("unavailable"));
    if (candidates.chunks.length < 2) {
      return plain(candidates, report("applied", { reranker: reranker.id, candidates: candidates.chunks.length }));
    }

    const started = performance.now();
    try {
      const scores = await reranker.rerank(params.query, candidates.chunks.map((c) => c.content));
      const { order, scores: byIndex, ignored } = orderByRerank(candidates.chunks.length, scores);
      if (byIndex.size === 0) {
        throw new RerankError(`The reranker scored none of the ${candidates.chunks.length} passages it was sent`, "response");
      }
      const ms = performance.now() - started;
      const status = byIndex.size < candidates.chunks.length || ignored > 0 ? "partial" : "applied";
      if (status === "partial") {
        logger?.warn({ botId: bot.id, reranker: reranker.id, sent: candidates.chunks.length, scored: byIndex.size, ignored }, "reranker answered in part");
      }
      let scoredRank = 0;
      const chunks: RankedChunk[] = order.slice(0, topK).map((position, i) => {
        const chunk = candidates.chunks[position]!;
        const score = byIndex.get(position);
        return { ...chunk, rank: i + 1, ...(score === undefined ? {} : { rerank: { rank: ++scoredRank, score } }) };
      });
      return {
        ...candidates,
        topK,
        chunks,
        rerank: report(status, { reranker: reranker.id, candidates: candidates.chunks.length, scored: byIndex.size, ignored }),
        timingsMs: { ...candidates.timingsMs, rerank: round(ms), total: round(candidates.timingsMs.total + ms) },
      };
    } catch (error) {
      return fail(error, reranker.id, performance.now() - started);
    }

    function fail(error: unknown, rerankerId: string | null, ms: number): RankedResult {
      const message = error instanceof RerankError ? error.message : "The reranker failed";
      logger?.warn(
        { botId: bot.id, reranker: rerankerId, reason: error instanceof RerankError ? error.reason : "unknown", err: error instanceof RerankError ? undefined : error },
        `rerank failed; the mode's order is kept: ${message}`,
      );
      return plain(candidates, report("failed", { reranker: rerankerId, candidates: candidates.chunks.length, error: message }), ms);
    }
  }
  return { retrieve };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

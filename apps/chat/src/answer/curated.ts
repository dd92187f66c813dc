/**
 * Curated answers in the answer path: the question is embedded once (the vector that
 * retrieval then reuses), compared with the bot's enabled curated answers, and the nearest
 * one answers when its similarity reaches the bot's threshold.
 *
 * Keyword-mode bots embed nothing for retrieval, so they embed the question only when they
 * hold a curated answer of the workspace's embedder; a failure there is logged and the
 * question goes on to retrieval, as it would have without curated answers.
 */
import type { Logger } from "@docent/config/logger";
import { DEFAULT_CURATED_THRESHOLD, readRagConfig } from "@docent/contracts/json";
import type { Database } from "@docent/db/client";
import type { Bot } from "@docent/db/queries/bots";
import { findNearestCuratedAnswer, hasEnabledCuratedAnswers } from "@docent/db/queries/curated-answers";
import { ChatError } from "../errors";
import type { QueryEmbedder } from "../retrieval/types";

export interface CuratedMatch {
  /** The question's embedding (null when nothing needed it). */
  queryEmbedding: { model: string; embedding: number[] } | null;
  hit: { id: string; question: string; answer: string; similarity: number } | null;
}

export function createCuratedMatcher(deps: {
  db: Database;
  embedderFor(workspaceId: string): Promise<QueryEmbedder>;
  logger: Logger;
}) {
  const { db, logger } = deps;

  async function embed(embedder: QueryEmbedder, question: string) {
    const [embedding] = await embedder.embed([question]);
    if (!embedding) throw new ChatError("EMBEDDING_FAILED", "The embedder returned no vector", { retryable: true });
    return { model: embedder.id, embedding };
  }

  async function lookup(bot: Bot, embedding: { model: string; embedding: number[] }) {
    const nearest = await findNearestCuratedAnswer(db, { botId: bot.id, embedding: embedding.embedding, embeddingModel: embedding.model });
    const threshold = bot.modelSettings.curatedThreshold ?? DEFAULT_CURATED_THRESHOLD;
    return nearest && nearest.similarity >= threshold ? nearest : null;
  }

  async function match(bot: Bot, question: string): Promise<CuratedMatch> {
    const rag = readRagConfig(bot.ragConfig);
    const retrievalEmbeds = rag.retrievalMode === "vector" || (rag.retrievalMode === "hybrid" && rag.fusionWeights.vector > 0);
    if (retrievalEmbeds) {
      const embedder = await deps.embedderFor(bot.workspaceId);
      const queryEmbedding = await embed(embedder, question);
      return { queryEmbedding, hit: await lookup(bot, queryEmbedding) };
    }
    try {
      const embedder = await deps.embedderFor(bot.workspaceId);
      if (!(await hasEnabledCuratedAnswers(db, { botId: bot.id, embeddingModel: embedder.id }))) {
        return { queryEmbedding: null, hit: null };
      }
      const queryEmbedding = await embed(embedder, question);
      return { queryEmbedding, hit: await lookup(bot, queryEmbedding) };
    } catch (error) {
      logger.warn({ err: error, botId: bot.id }, "curated answer lookup failed; answering from retrieval");
      return { queryEmbedding: null, hit: null };
    }
  }

  return { match };
}

export type CuratedMatcher = ReturnType<typeof createCuratedMatcher>;

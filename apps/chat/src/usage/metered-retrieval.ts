/**
 * The search API (`POST /v1/bots/:botId/retrieve`) as a metered product: each call takes
 * one search from the workspace's monthly allowance (maxRetrievalsPerMonth, its own limit:
 * a search costs an embedding call and index reads, no LLM tokens, so plans allow more of
 * them than questions) and is logged for analytics as a `retrieval` query. Anything else
 * that hands retrieval results to a caller (a tool endpoint, say) should go through here.
 */
import type { Database } from "@docent/db/client";
import { insertQueryLog } from "@docent/db/queries/analytics";
import type { RetrievalService, RetrieveParams } from "../retrieval/service";
import type { RetrievalResult } from "../retrieval/types";
import type { Quota } from "./quota";

export interface MeteredRetrieveParams extends RetrieveParams {
  /** "playground" for a signed-in admin (the retrieval test panel), "api" for an API key. */
  channel: "api" | "playground";
  actor: { userId?: string | null };
}

export function createMeteredRetrieval(deps: { db: Database; retrieval: RetrievalService; quota: Quota }) {
  return {
    async retrieve(params: MeteredRetrieveParams): Promise<RetrievalResult> {
      const { channel, actor, ...search } = params;
      await deps.quota.reserve(search.bot.workspaceId, "retrievals");
      const result = await deps.retrieval.retrieve(search);
      await insertQueryLog(deps.db, {
        botId: search.bot.id,
        channel,
        kind: "retrieval",
        queryText: search.query,
        queryingUserId: actor.userId ?? null,
        responseTimeMs: Math.round(result.timingsMs.total),
        sourceDocumentsCount: new Set(result.chunks.map((c) => c.documentId)).size,
        topScore: result.chunks[0]?.score ?? null,
      });
      return result;
    },
  };
}

export type MeteredRetrieval = ReturnType<typeof createMeteredRetrieval>;

/**
 * The search API (`POST /v1/bots/:botId/retrieve`) as a metered product: each call takes
 * one search from the workspace's monthly allowance (maxRetrievalsPerMonth, its own limit:
 * a search costs an embedding call and index reads, no LLM tokens, so plans allow more of
 * them than questions) and is logged for analytics as a `retrieval` query. Everything that
 * hands search results to a caller goes through here: `/retrieve` and MCP's `search_documents`.
 */
import type { Database } from "@docent/db/client";
import { insertQueryLogAsyncCommit } from "@docent/db/queries/analytics";
import { recordUsageAsyncCommit } from "@docent/db/queries/usage-metrics";
import type { RankedResult, SearchParams, SearchService } from "../retrieval/search";
import type { Quota } from "./quota";

export interface MeteredRetrieveParams extends SearchParams {
  /** "playground" for a signed-in admin (the retrieval test panel), "api" for an API key (REST or MCP). */
  channel: "api" | "playground";
  actor: { userId?: string | null };
}

export function createMeteredRetrieval(deps: { db: Database; search: Pick<SearchService, "retrieve">; quota: Quota }) {
  return {
    async retrieve(params: MeteredRetrieveParams): Promise<RankedResult> {
      const { channel, actor, ...query } = params;
      await deps.quota.reserve(query.bot.workspaceId, "retrievals");
      const result = await deps.search.retrieve(query);
      // The search log and the day's usage are independent rows: written side by side.
      await Promise.all([
        insertQueryLogAsyncCommit(deps.db, {
          botId: query.bot.id,
          channel,
          kind: "retrieval",
          queryText: query.query,
          queryingUserId: actor.userId ?? null,
          responseTimeMs: Math.round(result.timingsMs.total),
          sourceDocumentsCount: new Set(result.chunks.map((c) => c.documentId)).size,
          topScore: result.chunks[0]?.score ?? null,
        }),
        // The search API with a key (channel "api") is an API call; the playground's is not.
        channel === "api"
          ? recordUsageAsyncCommit(deps.db, { workspaceId: query.bot.workspaceId, botId: query.bot.id, metrics: { api_calls: 1 } })
          : null,
      ]);
      return result;
    },
  };
}

export type MeteredRetrieval = ReturnType<typeof createMeteredRetrieval>;

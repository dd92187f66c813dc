/**
 * The search API (`POST /v1/bots/:botId/retrieve`) as a metered product: each call takes
 * one search from the workspace's monthly allowance (maxRetrievalsPerMonth, its own limit:
 * a search costs an embedding call and index reads, no LLM tokens, so plans allow more of
 * them than questions) and is logged for analytics as a `retrieval` query. Everything that
 * hands search results to a caller goes through here: `/retrieve` and MCP's `search_documents`.
 *
 * The allowance is taken before the search runs; the search log and the day's API-call
 * count are written after it has answered, off the caller's path (about 1.5 ms a call):
 * analytics see a search a moment after its caller does. A failed write is logged; the
 * service's shutdown waits for the writes under way (`settled`).
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { insertQueryLogAsyncCommit } from "@docent/db/queries/analytics";
import { recordUsageAsyncCommit } from "@docent/db/queries/usage-metrics";
import { createBackgroundWork } from "@docent/service-kit/background";
import type { RankedResult, SearchParams, SearchService } from "../retrieval/search";
import type { Quota } from "./quota";

export interface MeteredRetrieveParams extends SearchParams {
  /** "playground" for a signed-in admin (the retrieval test panel), "api" for an API key (REST or MCP). */
  channel: "api" | "playground";
  actor: { userId?: string | null };
}

export function createMeteredRetrieval(deps: {
  db: Database;
  search: Pick<SearchService, "retrieve">;
  quota: Quota;
  logger?: Logger;
}) {
  const recording = createBackgroundWork(deps.logger);

  /** The search log and the day's usage: independent rows, written side by side. */
  async function record(query: SearchParams, { channel, actor }: Pick<MeteredRetrieveParams, "channel" | "actor">, result: RankedResult) {
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
  }

  return {
    async retrieve(params: MeteredRetrieveParams): Promise<RankedResult> {
      const { channel, actor, ...query } = params;
      await deps.quota.reserve(query.bot.workspaceId, "retrievals");
      const result = await deps.search.retrieve(query);
      // Once the response is on its way (setImmediate runs after the reply's own work).
      recording.start(() => new Promise((resolve) => setImmediate(resolve)).then(() => record(query, { channel, actor }, result)), {
        message: "recording a search failed",
        context: { botId: query.bot.id },
      });
      return result;
    },
    /** Resolves once every search answered so far is logged and counted. */
    settled: recording.settled,
  };
}

export type MeteredRetrieval = ReturnType<typeof createMeteredRetrieval>;

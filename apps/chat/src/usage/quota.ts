/**
 * The monthly allowances the chat service meters: answered questions and search API calls,
 * each its own counter and plan limit (maxQueriesPerMonth, maxRetrievalsPerMonth). One is
 * taken before the work runs, atomically, so concurrent requests cannot overshoot; a used-up
 * allowance answers 402 QUOTA_EXCEEDED (as the API's plan limits) naming the limit in words and the reset date.
 *
 * The workspace's plan is read once per `planCacheMs` (5 s) and kept in memory: it is
 * read on every question and search (two queries for a workspace without a subscription)
 * and changes only when an operator or billing changes it, which then reaches the limits
 * here within those seconds. The counter itself is always the database's.
 */
import type { Database } from "@docent/db/client";
import { limitReachedMessage } from "@docent/db/limits";
import type { Plan } from "@docent/db/queries/plans";
import { getCurrentPlan, getMonthlyUsage, type MonthlyCounter, periodStartOf, reserveMonthlyUsage } from "@docent/db/queries/usage";
import { LRUCache } from "lru-cache";
import { ChatError } from "../errors";

const limits = {
  queries: { limit: "queriesPerMonth", column: "maxQueriesPerMonth" },
  retrievals: { limit: "retrievalsPerMonth", column: "maxRetrievalsPerMonth" },
} as const satisfies Record<MonthlyCounter, unknown>;

export interface QuotaDeps {
  db: Database;
  now?: () => Date;
  /** How long a workspace's plan is reused before it is read again; 0 reads it every time. */
  planCacheMs?: number;
}

export function createQuota({ db, now = () => new Date(), planCacheMs = 5_000 }: QuotaDeps) {
  // fetch() shares one read among concurrent requests of a workspace.
  const plans = new LRUCache<string, Plan>({
    max: 10_000,
    ttl: Math.max(planCacheMs, 1),
    fetchMethod: (workspaceId) => getCurrentPlan(db, workspaceId),
  });
  const planOf = async (workspaceId: string): Promise<Plan> =>
    planCacheMs > 0 ? (await plans.fetch(workspaceId))! : getCurrentPlan(db, workspaceId);

  return {
    /** Takes one question or search of the workspace's month, or throws the 429. */
    async reserve(workspaceId: string, counter: MonthlyCounter): Promise<void> {
      const at = now();
      const periodStart = periodStartOf(at);
      const plan = await planOf(workspaceId);
      const { limit, column } = limits[counter];
      const max = plan[column];
      if (await reserveMonthlyUsage(db, { workspaceId, periodStart, counter, max })) return;
      const reset = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
      throw new ChatError(
        "QUOTA_EXCEEDED",
        `${limitReachedMessage(limit, max ?? 0, plan.name)} It resets on ${reset.toISOString().slice(0, 10)} (UTC).`,
        {
          details: {
            limit,
            max,
            used: await getMonthlyUsage(db, { workspaceId, periodStart, counter }),
            plan: plan.name,
            resetsAt: reset.toISOString(),
          },
        },
      );
    },
  };
}

export type Quota = ReturnType<typeof createQuota>;

/**
 * The monthly allowances the chat service meters: answered questions and search API calls,
 * each its own counter and plan limit (maxQueriesPerMonth, maxRetrievalsPerMonth). One is
 * taken before the work runs, atomically, so concurrent requests cannot overshoot; a used-up
 * allowance answers 402 QUOTA_EXCEEDED (as the API's plan limits) naming the limit in words and the reset date.
 */
import { type Database, withAsyncCommit } from "@docent/db/client";
import { limitReachedMessage } from "@docent/db/limits";
import { getCurrentPlan, getMonthlyUsage, type MonthlyCounter, periodStartOf, reserveMonthlyUsage } from "@docent/db/queries/usage";
import { ChatError } from "../errors";

const limits = {
  queries: { limit: "queriesPerMonth", column: "maxQueriesPerMonth" },
  retrievals: { limit: "retrievalsPerMonth", column: "maxRetrievalsPerMonth" },
} as const satisfies Record<MonthlyCounter, unknown>;

export function createQuota({ db, now = () => new Date() }: { db: Database; now?: () => Date }) {
  return {
    /** Takes one question or search of the workspace's month, or throws the 429. */
    async reserve(workspaceId: string, counter: MonthlyCounter): Promise<void> {
      const at = now();
      const periodStart = periodStartOf(at);
      const plan = await getCurrentPlan(db, workspaceId);
      const { limit, column } = limits[counter];
      const max = plan[column];
      // A counter, not user data: no wait for the disk (withAsyncCommit).
      if (await withAsyncCommit(db, (tx) => reserveMonthlyUsage(tx, { workspaceId, periodStart, counter, max }))) return;
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

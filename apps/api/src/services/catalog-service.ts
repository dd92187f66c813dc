/**
 * Plans, templates and a workspace's usage against its plan, with what it uses more of
 * than the plan allows (a plan lowered or changed under it).
 */
import type { UsageResponse } from "@docent/contracts/plans";
import type { Database } from "@docent/db/client";
import { listActivePlans } from "@docent/db/queries/plans";
import { listTemplates } from "@docent/db/queries/templates";
import { getCurrentSubscription, getUsage, overLimits, planLimits } from "@docent/db/queries/usage";
import { planDto, templateDto } from "../dto";
import { USAGE_MAX_DAYS, usageMetrics, type UsageMetricName } from "@docent/contracts/usage";
import { getBot } from "@docent/db/queries/bots";
import { getUsageByDay } from "@docent/db/queries/usage-metrics";
import type { WorkspaceAccess } from "@docent/http-kit/auth";
import { NotFoundError, ValidationError } from "@docent/service-kit/errors";

const DAY_MS = 24 * 3600_000;

export function createCatalogService({ db }: { db: Database }) {
  return {
    async plans() {
      return (await listActivePlans(db)).map(planDto);
    },

    async templates() {
      return (await listTemplates(db)).map(templateDto);
    },

    /** Daily counters of the workspace's bots (a bot-restricted key sees its bot only). */
    async dailyUsage(access: WorkspaceAccess, query: { from?: string; to?: string; botId?: string; metric?: UsageMetricName | UsageMetricName[] }) {
      const to = query.to ?? new Date().toISOString().slice(0, 10);
      const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
      const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
      if (days > USAGE_MAX_DAYS) {
        throw new ValidationError([{ path: "query.from", message: `the range may cover at most ${USAGE_MAX_DAYS} days (asked: ${days})` }]);
      }
      if (days < 1) throw new ValidationError([{ path: "query.from", message: "from must not be after to" }]);
      if (access.botId && query.botId && query.botId !== access.botId) throw new NotFoundError("Bot");
      const botId = query.botId ?? access.botId ?? undefined;
      if (botId && !(await getBot(db, { workspaceId: access.workspaceId, botId }))) throw new NotFoundError("Bot");
      const metrics = query.metric === undefined ? undefined : ([] as UsageMetricName[]).concat(query.metric);
      const items = await getUsageByDay(db, { workspaceId: access.workspaceId, from, to, ...(botId ? { botId } : {}), ...(metrics ? { metrics } : {}) });
      const totals = Object.fromEntries(usageMetrics.map((m) => [m, 0])) as Record<UsageMetricName, number>;
      for (const row of items) totals[row.metric] += row.value;
      return { from, to, items, totals };
    },

    async usage(workspaceId: string): Promise<UsageResponse> {
      const { plan, status } = await getCurrentSubscription(db, workspaceId);
      const usage = await getUsage(db, workspaceId);
      const limits = planLimits(plan);
      return {
        plan: planDto(plan),
        subscriptionStatus: status,
        periodStart: usage.periodStart,
        usage: {
          bots: { used: usage.bots, limit: limits.bots },
          documents: { used: usage.documents, largestBot: usage.largestBotDocuments, limitPerBot: limits.documentsPerBot },
          storageBytes: { used: usage.storageBytes, limit: limits.storage },
          queriesThisMonth: { used: usage.queriesThisMonth, limit: limits.queriesPerMonth },
          retrievalsThisMonth: { used: usage.retrievalsThisMonth, limit: limits.retrievalsPerMonth },
          processingJobsThisMonth: { used: usage.processingJobsThisMonth, limit: limits.processingJobsPerMonth },
        },
        overLimits: overLimits(plan, usage),
      };
    },
  };
}

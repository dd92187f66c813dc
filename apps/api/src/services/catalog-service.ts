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

export function createCatalogService({ db }: { db: Database }) {
  return {
    async plans() {
      return (await listActivePlans(db)).map(planDto);
    },

    async templates() {
      return (await listTemplates(db)).map(templateDto);
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

/**
 * Plans, usage and quota checks, shared by the API, the ingestion worker and the chat
 * service so every limit is enforced by the same code.
 *
 * Counting limits (bots, documents, storage) are read live; monthly limits (queries,
 * processing jobs) come from `usage_counters`, incremented where the work happens. To make
 * check-then-insert race free, take `lockWorkspaceQuota(tx, workspaceId)` first in the
 * same transaction.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { botDocuments, bots, plans, subscriptions, usageCounters } from "../schema";
import { notDeleted } from "./document-deletions";
import { DEFAULT_PLAN_CODE } from "./workspaces";
import type { Plan } from "./plans";

export type LimitName =
  | "bots"
  | "documentsPerBot"
  | "storage"
  | "fileSize"
  | "queriesPerMonth"
  | "processingJobsPerMonth";

/** The plan column behind each limit; error messages name it so support can find it. */
export const limitColumns: Record<LimitName, keyof Plan> = {
  bots: "maxBots",
  documentsPerBot: "maxDocumentsPerBot",
  storage: "maxTotalDocumentStorageGb",
  fileSize: "maxFileSizeMb",
  queriesPerMonth: "maxQueriesPerMonth",
  processingJobsPerMonth: "maxDocProcessingJobsPerMonth",
};

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/**
 * Thrown when an action would pass a plan limit. Carries `statusCode` 402 and
 * `code` "QUOTA_EXCEEDED" so HTTP services can answer it as is.
 */
export class QuotaExceededError extends Error {
  readonly code = "QUOTA_EXCEEDED";
  readonly statusCode = 402;
  readonly retryable = false;
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly current: number,
    readonly planName: string,
  ) {
    super(QuotaExceededError.describe(limit, max, planName));
    this.name = "QuotaExceededError";
  }

  static describe(limit: LimitName, max: number, planName: string): string {
    const column = limitColumns[limit];
    switch (limit) {
      case "bots":
        return `Limit reached: the ${planName} plan allows ${max} bot${max === 1 ? "" : "s"} (${column}).`;
      case "documentsPerBot":
        return `Limit reached: the ${planName} plan allows ${max} documents per bot (${column}).`;
      case "storage":
        return `Limit reached: the ${planName} plan allows ${max / GB} GB of document storage (${column}).`;
      case "fileSize":
        return `Limit reached: the ${planName} plan accepts files up to ${max / MB} MB (${column}).`;
      case "queriesPerMonth":
        return `Limit reached: the ${planName} plan allows ${max} queries per month (${column}).`;
      case "processingJobsPerMonth":
        return `Limit reached: the ${planName} plan allows ${max} document processing jobs per month (${column}).`;
    }
  }
}

/** First day (UTC) of the month containing `now`, as the `usage_counters.period_start` value. */
export function periodStartOf(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

/** Serialises quota checks of one workspace until the transaction ends. */
export async function lockWorkspaceQuota(tx: Executor, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${workspaceId}`}, 0))`);
}

/** The workspace's live subscription and its plan; the default (Free) plan without one. */
export async function getCurrentSubscription(
  db: Executor,
  workspaceId: string,
): Promise<{ plan: Plan; status: (typeof subscriptions.$inferSelect)["status"] | null }> {
  const [row] = await db
    .select({ plan: plans, status: subscriptions.status })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.workspaceId, workspaceId), ne(subscriptions.status, "CANCELED")));
  if (row) return row;
  const [fallback] = await db.select().from(plans).where(eq(plans.code, DEFAULT_PLAN_CODE));
  if (!fallback) throw new Error(`plan "${DEFAULT_PLAN_CODE}" is missing; run the catalog seed`);
  return { plan: fallback, status: null };
}

export async function getCurrentPlan(db: Executor, workspaceId: string): Promise<Plan> {
  return (await getCurrentSubscription(db, workspaceId)).plan;
}

/** Per-document processing limits of a workspace's plan (the worker enforces them). */
export interface ProcessingLimits {
  planName: string;
  /** Most pages of one PDF (plans.max_pdf_pages). */
  maxPdfPages: number;
  /** Wall-clock seconds for one processing attempt (plans.max_doc_processing_seconds). */
  maxDocProcessingSeconds: number;
}

/**
 * The processing limits of the workspace's live subscription, or of the default (Free)
 * plan; null only where no plan exists at all (a database without the catalog).
 */
export async function getProcessingLimits(db: Executor, workspaceId: string): Promise<ProcessingLimits | null> {
  const columns = {
    planName: plans.name,
    maxPdfPages: plans.maxPdfPages,
    maxDocProcessingSeconds: plans.maxDocProcessingSeconds,
  };
  const [subscribed] = await db
    .select(columns)
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.workspaceId, workspaceId), ne(subscriptions.status, "CANCELED")));
  if (subscribed) return subscribed;
  const [fallback] = await db.select(columns).from(plans).where(eq(plans.code, DEFAULT_PLAN_CODE));
  return fallback ?? null;
}

export interface WorkspaceUsage {
  periodStart: string;
  bots: number;
  documents: number;
  storageBytes: number;
  queriesThisMonth: number;
  processingJobsThisMonth: number;
  inputTokensThisMonth: number;
  outputTokensThisMonth: number;
}

export async function getUsage(db: Executor, workspaceId: string, now = new Date()): Promise<WorkspaceUsage> {
  const periodStart = periodStartOf(now);
  const [botCount] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bots)
    .where(eq(bots.workspaceId, workspaceId));
  const [documentTotals] = await db
    .select({
      // count(*): the join yields one row per document (a bare "id" would be ambiguous).
      n: sql<number>`count(*)::int`,
      bytes: sql<string>`coalesce(sum(${botDocuments.sizeBytes}), 0)::bigint`,
    })
    .from(botDocuments)
    .innerJoin(bots, eq(bots.id, botDocuments.botId))
    .where(and(eq(bots.workspaceId, workspaceId), notDeleted()));
  const [counter] = await db
    .select()
    .from(usageCounters)
    .where(and(eq(usageCounters.workspaceId, workspaceId), eq(usageCounters.periodStart, periodStart)));
  return {
    periodStart,
    bots: botCount?.n ?? 0,
    documents: documentTotals?.n ?? 0,
    storageBytes: Number(documentTotals?.bytes ?? 0),
    queriesThisMonth: counter?.queries ?? 0,
    processingJobsThisMonth: counter?.processingJobs ?? 0,
    inputTokensThisMonth: counter?.inputTokens ?? 0,
    outputTokensThisMonth: counter?.outputTokens ?? 0,
  };
}

/** Each limit of a plan in the unit it is checked in (bytes for storage and file size). */
export function planLimits(plan: Plan): Record<LimitName, number> {
  return {
    bots: plan.maxBots,
    documentsPerBot: plan.maxDocumentsPerBot,
    storage: Math.round(plan.maxTotalDocumentStorageGb * GB),
    fileSize: plan.maxFileSizeMb * MB,
    queriesPerMonth: plan.maxQueriesPerMonth,
    processingJobsPerMonth: plan.maxDocProcessingJobsPerMonth,
  };
}

/**
 * Throws `QuotaExceededError` when adding `amount` (items, or bytes for storage and file
 * size) would pass the workspace's plan limit. `botId` is required for documentsPerBot.
 */
export async function assertWithinLimit(
  db: Executor,
  params: { workspaceId: string; limit: LimitName; amount?: number; botId?: string; now?: Date },
): Promise<void> {
  const amount = params.amount ?? 1;
  const plan = await getCurrentPlan(db, params.workspaceId);
  const max = planLimits(plan)[params.limit];
  let current: number;
  switch (params.limit) {
    case "fileSize":
      current = 0;
      break;
    case "documentsPerBot": {
      if (!params.botId) throw new Error("assertWithinLimit: documentsPerBot needs botId");
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(botDocuments)
        .where(and(eq(botDocuments.botId, params.botId), notDeleted()));
      current = row?.n ?? 0;
      break;
    }
    default: {
      const usage = await getUsage(db, params.workspaceId, params.now);
      current = {
        bots: usage.bots,
        storage: usage.storageBytes,
        queriesPerMonth: usage.queriesThisMonth,
        processingJobsPerMonth: usage.processingJobsThisMonth,
      }[params.limit];
    }
  }
  if (current + amount > max) throw new QuotaExceededError(params.limit, max, current, plan.name);
}

/** Adds to this month's counters (one atomic upsert). */
export async function incrementUsage(
  db: Executor,
  workspaceId: string,
  delta: { queries?: number; processingJobs?: number; inputTokens?: number; outputTokens?: number },
  now = new Date(),
): Promise<void> {
  const values = {
    queries: delta.queries ?? 0,
    processingJobs: delta.processingJobs ?? 0,
    inputTokens: delta.inputTokens ?? 0,
    outputTokens: delta.outputTokens ?? 0,
  };
  await db
    .insert(usageCounters)
    .values({ workspaceId, periodStart: periodStartOf(now), ...values })
    .onConflictDoUpdate({
      target: [usageCounters.workspaceId, usageCounters.periodStart],
      set: {
        queries: sql`${usageCounters.queries} + ${values.queries}`,
        processingJobs: sql`${usageCounters.processingJobs} + ${values.processingJobs}`,
        inputTokens: sql`${usageCounters.inputTokens} + ${values.inputTokens}`,
        outputTokens: sql`${usageCounters.outputTokens} + ${values.outputTokens}`,
        updatedAt: new Date(),
      },
    });
}

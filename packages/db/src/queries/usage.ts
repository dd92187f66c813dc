/**
 * Plans, usage and quota checks, shared by the API, the ingestion worker and the chat
 * service so every limit is enforced by the same code.
 *
 * Counting limits (bots, documents, storage) are read live; monthly limits (questions,
 * searches, processing jobs) come from `usage_counters`, incremented where the work
 * happens. To make check-then-insert race free, take `lockWorkspaceQuota(tx, workspaceId)`
 * first in the same transaction. A limit that is null on the plan is not checked.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { type Database, type Executor, executeWithAsyncCommit } from "../client";
import { GB, limitReachedMessage, MB, overLimitMessage, type QuotaLimit } from "../limits";
import { botDocuments, botSourceRuns, botSources, bots, plans, subscriptions, usageCounters, workspaces } from "../schema";
import { notDeleted } from "./document-deletions";
import { DEFAULT_PLAN_CODE, getDefaultPlan, type Plan } from "./plans";

export type { QuotaLimit } from "../limits";
/** @deprecated the quota subset of `LimitName` in ../limits; kept for existing imports. */
export type LimitName = QuotaLimit;

/**
 * An action that would pass a plan limit: which limit, its maximum and current use, the
 * plan, and the message naming it in words ("Limit reached: 5 documents per bot on the Free
 * plan."). Services answer it with QUOTA_EXCEEDED (@docent/service-kit/plan-limits).
 */
export interface LimitBreach {
  limit: QuotaLimit;
  max: number;
  current: number;
  planName: string;
  message: string;
}

/** First day (UTC) of the month containing `now`, as the `usage_counters.period_start` value. */
export function periodStartOf(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

/** Serialises quota checks of one workspace until the transaction ends. */
export async function lockWorkspaceQuota(tx: Executor, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${workspaceId}`}, 0))`);
}

/** The workspace's live subscription and its plan; the default plan without one. */
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
  const fallback = await getDefaultPlan(db);
  if (!fallback) throw new Error(`no default plan (nor "${DEFAULT_PLAN_CODE}"); run the catalog seed`);
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
 * The processing limits of the workspace's live subscription, or of the default plan;
 * null only where no plan exists at all (a database without the catalog).
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
  const fallback = await getDefaultPlan(db);
  return fallback
    ? { planName: fallback.name, maxPdfPages: fallback.maxPdfPages, maxDocProcessingSeconds: fallback.maxDocProcessingSeconds }
    : null;
}

export interface WorkspaceUsage {
  periodStart: string;
  bots: number;
  documents: number;
  /** Documents of the workspace's fullest bot (the per-bot limit applies to it). */
  largestBotDocuments: number;
  storageBytes: number;
  queriesThisMonth: number;
  retrievalsThisMonth: number;
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
  const perBot = db
    .select({
      // count(*): the join yields one row per document (a bare "id" would be ambiguous).
      n: sql<number>`count(*)::int`.as("n"),
      bytes: sql<string>`coalesce(sum(${botDocuments.sizeBytes}), 0)::bigint`.as("bytes"),
    })
    .from(botDocuments)
    .innerJoin(bots, eq(bots.id, botDocuments.botId))
    .where(and(eq(bots.workspaceId, workspaceId), notDeleted()))
    .groupBy(botDocuments.botId)
    .as("per_bot");
  const [documentTotals] = await db
    .select({
      n: sql<number>`coalesce(sum(${perBot.n}), 0)::int`,
      largest: sql<number>`coalesce(max(${perBot.n}), 0)::int`,
      bytes: sql<string>`coalesce(sum(${perBot.bytes}), 0)::bigint`,
    })
    .from(perBot);
  const [counter] = await db
    .select()
    .from(usageCounters)
    .where(and(eq(usageCounters.workspaceId, workspaceId), eq(usageCounters.periodStart, periodStart)));
  return {
    periodStart,
    bots: botCount?.n ?? 0,
    documents: documentTotals?.n ?? 0,
    largestBotDocuments: documentTotals?.largest ?? 0,
    storageBytes: Number(documentTotals?.bytes ?? 0),
    queriesThisMonth: counter?.queries ?? 0,
    retrievalsThisMonth: counter?.retrievals ?? 0,
    processingJobsThisMonth: counter?.processingJobs ?? 0,
    inputTokensThisMonth: counter?.inputTokens ?? 0,
    outputTokensThisMonth: counter?.outputTokens ?? 0,
  };
}

/**
 * Each quota of a plan in the unit it is checked in (bytes for storage and file size);
 * null where the plan sets no limit.
 */
export function planLimits(plan: Plan): Record<QuotaLimit, number | null> {
  const scaled = (value: number | null, unit: number) => (value === null ? null : Math.round(value * unit));
  return {
    bots: plan.maxBots,
    documentsPerBot: plan.maxDocumentsPerBot,
    storage: scaled(plan.maxTotalDocumentStorageGb, GB),
    fileSize: scaled(plan.maxFileSizeMb, MB),
    queriesPerMonth: plan.maxQueriesPerMonth,
    retrievalsPerMonth: plan.maxRetrievalsPerMonth,
    processingJobsPerMonth: plan.maxDocProcessingJobsPerMonth,
    pagesPerSource: plan.maxPagesPerSource,
    crawlsPerMonth: plan.maxCrawlsPerMonth,
  };
}

/** The part of a workspace's usage each quota is compared with. */
function usedOf(usage: WorkspaceUsage): Record<Exclude<QuotaLimit, "fileSize" | "pagesPerSource" | "crawlsPerMonth">, number> {
  return {
    bots: usage.bots,
    documentsPerBot: usage.largestBotDocuments,
    storage: usage.storageBytes,
    queriesPerMonth: usage.queriesThisMonth,
    retrievalsPerMonth: usage.retrievalsThisMonth,
    processingJobsPerMonth: usage.processingJobsThisMonth,
  };
}

/** A quota a workspace uses more of than its plan allows (after the plan was lowered or changed). */
export interface OverLimit {
  limit: QuotaLimit;
  used: number;
  max: number;
  /** "12 bots, over the limit of 5 bots on the Free plan". */
  message: string;
}

/**
 * The quotas the usage exceeds. Using exactly the limit is not over it (nothing more is
 * accepted, but nothing needs removing either).
 */
export function overLimits(plan: Plan, usage: WorkspaceUsage): OverLimit[] {
  const limits = planLimits(plan);
  const used = usedOf(usage);
  const over: OverLimit[] = [];
  for (const limit of Object.keys(used) as (keyof typeof used)[]) {
    const max = limits[limit];
    if (max !== null && used[limit] > max) {
      over.push({ limit, used: used[limit], max, message: overLimitMessage(limit, used[limit], max, plan.name) });
    }
  }
  return over;
}

/**
 * The breach when adding `amount` (items, or bytes for storage and file size) would pass
 * the workspace's plan limit; undefined when it fits. `botId` is required for documentsPerBot.
 */
export async function findLimitBreach(
  db: Executor,
  params: { workspaceId: string; limit: QuotaLimit; amount?: number; botId?: string; now?: Date },
): Promise<LimitBreach | undefined> {
  const amount = params.amount ?? 1;
  const plan = await getCurrentPlan(db, params.workspaceId);
  const max = planLimits(plan)[params.limit];
  if (max === null) return undefined;
  let current: number;
  switch (params.limit) {
    case "fileSize":
    case "pagesPerSource":
      // A size asked for (bytes of one file, pages of one source), not a use that adds up.
      current = 0;
      break;
    case "crawlsPerMonth": {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(botSourceRuns)
        .innerJoin(botSources, eq(botSources.id, botSourceRuns.sourceId))
        .innerJoin(bots, eq(bots.id, botSources.botId))
        .where(and(eq(bots.workspaceId, params.workspaceId), sql`${botSourceRuns.startedAt} >= ${periodStartOf(params.now)}::date`));
      current = row?.n ?? 0;
      break;
    }
    case "documentsPerBot": {
      if (!params.botId) throw new Error("findLimitBreach: documentsPerBot needs botId");
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(botDocuments)
        .where(and(eq(botDocuments.botId, params.botId), notDeleted()));
      current = row?.n ?? 0;
      break;
    }
    default: {
      const usage = await getUsage(db, params.workspaceId, params.now);
      current = usedOf(usage)[params.limit];
    }
  }
  if (current + amount <= max) return undefined;
  return { limit: params.limit, max, current, planName: plan.name, message: limitReachedMessage(params.limit, max, plan.name) };
}

/** Adds to this month's counters (one atomic upsert). */
export async function incrementUsage(
  db: Executor,
  workspaceId: string,
  delta: { queries?: number; retrievals?: number; processingJobs?: number; inputTokens?: number; outputTokens?: number },
  now = new Date(),
): Promise<void> {
  const values = {
    queries: delta.queries ?? 0,
    retrievals: delta.retrievals ?? 0,
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
        retrievals: sql`${usageCounters.retrievals} + ${values.retrievals}`,
        processingJobs: sql`${usageCounters.processingJobs} + ${values.processingJobs}`,
        inputTokens: sql`${usageCounters.inputTokens} + ${values.inputTokens}`,
        outputTokens: sql`${usageCounters.outputTokens} + ${values.outputTokens}`,
        updatedAt: new Date(),
      },
    });
}

/** The monthly counters a request takes one of before it runs. */
export type MonthlyCounter = "queries" | "retrievals";

/**
 * Takes one unit of this month's `counter` if fewer than `max` are used (`max` null: no
 * limit, always taken), in one statement, so concurrent requests cannot overshoot.
 * Returns the count before this one, or null when the allowance is used up. A counter, not
 * user data: it commits without waiting for the disk (`executeWithAsyncCommit`), so it
 * runs on its own, never inside a caller's transaction.
 */
export async function reserveMonthlyUsage(
  db: Database,
  params: { workspaceId: string; periodStart: string; counter: MonthlyCounter; max: number | null },
): Promise<{ used: number } | null> {
  if (params.max !== null && params.max <= 0) return null;
  const name = sql.identifier(params.counter);
  const rows = await executeWithAsyncCommit<{ n: number }>(db, sql`
    insert into ${usageCounters} (workspace_id, period_start, ${name})
    values (${params.workspaceId}, ${params.periodStart}, 1)
    on conflict (workspace_id, period_start) do update
      set ${name} = ${usageCounters}.${name} + 1, updated_at = now()
      ${params.max === null ? sql`` : sql`where ${usageCounters}.${name} < ${params.max}`}
    returning ${name} as n`);
  const row = rows[0];
  return row ? { used: Number(row.n) - 1 } : null;
}

/** This month's count of `counter` (for the error message when the allowance is used up). */
export async function getMonthlyUsage(
  db: Executor,
  params: { workspaceId: string; periodStart: string; counter: MonthlyCounter },
): Promise<number> {
  const [row] = await db
    .select({ queries: usageCounters.queries, retrievals: usageCounters.retrievals })
    .from(usageCounters)
    .where(and(eq(usageCounters.workspaceId, params.workspaceId), eq(usageCounters.periodStart, params.periodStart)));
  return row?.[params.counter] ?? 0;
}

/** A workspace on a plan that uses more than the plan allows. */
export interface WorkspaceOverLimits {
  workspaceId: string;
  workspaceName: string;
  over: OverLimit[];
}

/**
 * The workspaces on `plan` whose current use exceeds it (after the plan was lowered):
 * `total` of them, the first `limit` by name. One statement over the plan's workspaces.
 */
export async function workspacesOverLimits(
  db: Executor,
  plan: Plan,
  options: { now?: Date; limit?: number } = {},
): Promise<{ total: number; items: WorkspaceOverLimits[] }> {
  const periodStart = periodStartOf(options.now);
  const rows = await db.execute<{
    id: string;
    name: string;
    bots: number;
    largest: number;
    bytes: string;
    queries: number;
    retrievals: number;
    jobs: number;
  }>(sql`
    with ws as (
      select w.id, w.name from ${subscriptions} s join ${workspaces} w on w.id = s.workspace_id
      where s.plan_id = ${plan.id} and s.status <> 'CANCELED'
    ), per_bot as (
      select b.workspace_id, count(d.id)::int as n, coalesce(sum(d.size_bytes), 0)::bigint as bytes
      from ${bots} b
      join ws on ws.id = b.workspace_id
      left join ${botDocuments} d on d.bot_id = b.id and ${notDeleted(sql`d.id`)}
      group by b.workspace_id, b.id
    )
    select ws.id, ws.name,
      (select count(*) from per_bot p where p.workspace_id = ws.id)::int as bots,
      coalesce((select max(p.n) from per_bot p where p.workspace_id = ws.id), 0)::int as largest,
      coalesce((select sum(p.bytes) from per_bot p where p.workspace_id = ws.id), 0)::bigint as bytes,
      coalesce(u.queries, 0)::int as queries,
      coalesce(u.retrievals, 0)::int as retrievals,
      coalesce(u.processing_jobs, 0)::int as jobs
    from ws
    left join ${usageCounters} u on u.workspace_id = ws.id and u.period_start = ${periodStart}
    order by ws.name, ws.id`);
  const over: WorkspaceOverLimits[] = [];
  for (const row of rows) {
    const usage: WorkspaceUsage = {
      periodStart,
      bots: Number(row.bots),
      documents: 0,
      largestBotDocuments: Number(row.largest),
      storageBytes: Number(row.bytes),
      queriesThisMonth: Number(row.queries),
      retrievalsThisMonth: Number(row.retrievals),
      processingJobsThisMonth: Number(row.jobs),
      inputTokensThisMonth: 0,
      outputTokensThisMonth: 0,
    };
    const items = overLimits(plan, usage);
    if (items.length > 0) over.push({ workspaceId: row.id, workspaceName: row.name, over: items });
  }
  return { total: over.length, items: over.slice(0, options.limit ?? 50) };
}

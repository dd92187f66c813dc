/**
 * Plans: the catalog's (seeded by `ensureCatalog`) and the ones operators create, and which
 * plan each workspace is on. Platform admins edit them through the API (/v1/admin/plans).
 */
import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { plans, subscriptions, workspaces } from "../schema";

export type Plan = typeof plans.$inferSelect;
/** What an operator sets on a plan (the default flag has its own function). */
export type PlanFields = Omit<typeof plans.$inferInsert, "id" | "createdAt" | "updatedAt" | "isDefault">;

/** The plan new workspaces fall back to when none is flagged default (a database without the flag). */
export const DEFAULT_PLAN_CODE = "free";

export async function listActivePlans(db: Executor): Promise<Plan[]> {
  return db.select().from(plans).where(eq(plans.isActive, true)).orderBy(asc(plans.priceMonthly), asc(plans.code));
}

export async function getPlanByCode(db: Executor, code: string): Promise<Plan | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.code, code));
  return row;
}

export async function getPlan(db: Executor, planId: string): Promise<Plan | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, planId));
  return row;
}

/**
 * The plan new workspaces start on: the one flagged default (DEFAULT_PLAN or the admin
 * screen), else Free.
 */
export async function getDefaultPlan(db: Executor): Promise<Plan | undefined> {
  const [row] = await db
    .select()
    .from(plans)
    .where(or(eq(plans.isDefault, true), eq(plans.code, DEFAULT_PLAN_CODE)))
    .orderBy(desc(plans.isDefault))
    .limit(1);
  return row;
}

/** Every plan, active or not, with how many workspaces are on it; cheapest first. */
export async function listPlansWithWorkspaceCounts(db: Executor): Promise<(Plan & { workspaceCount: number })[]> {
  const rows = await db
    .select({
      plan: plans,
      // Qualified by hand: inside sql`` drizzle renders a column of the selected table bare.
      workspaceCount: sql<number>`(select count(*)::int from ${subscriptions} s where s.plan_id = "plans"."id" and s.status <> 'CANCELED')`,
    })
    .from(plans)
    .orderBy(asc(plans.priceMonthly), asc(plans.code));
  return rows.map((r) => ({ ...r.plan, workspaceCount: r.workspaceCount }));
}

export async function countWorkspacesOnPlan(db: Executor, planId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscriptions)
    .where(and(eq(subscriptions.planId, planId), ne(subscriptions.status, "CANCELED")));
  return row?.n ?? 0;
}

/** Inserts a plan; a taken code or name fails with PostgreSQL's unique violation (23505). */
export async function createPlan(db: Executor, fields: PlanFields): Promise<Plan> {
  const [row] = await db.insert(plans).values(fields).returning();
  return row!;
}

export async function updatePlan(db: Executor, planId: string, patch: Partial<PlanFields>): Promise<Plan | undefined> {
  if (Object.keys(patch).length === 0) return getPlan(db, planId);
  const [row] = await db.update(plans).set(patch).where(eq(plans.id, planId)).returning();
  return row;
}

/** Makes the plan the one new workspaces start on, and no other. */
export async function makeDefaultPlan(db: Executor, planId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(plans).set({ isDefault: false }).where(and(ne(plans.id, planId), eq(plans.isDefault, true)));
    await tx.update(plans).set({ isDefault: true }).where(eq(plans.id, planId));
  });
}

/**
 * Moves the workspace to the plan: its live subscription now points at it (the period and
 * the month's counters are kept), or a new ACTIVE one is made when it had none. False when
 * the workspace does not exist.
 */
export async function setWorkspacePlan(db: Executor, workspaceId: string, planId: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [workspace] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
    if (!workspace) return false;
    const moved = await tx
      .update(subscriptions)
      .set({ planId })
      .where(and(eq(subscriptions.workspaceId, workspaceId), ne(subscriptions.status, "CANCELED")))
      .returning({ id: subscriptions.id });
    if (moved.length === 0) {
      const periodEnd = new Date(now);
      periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
      await tx
        .insert(subscriptions)
        .values({ workspaceId, planId, status: "ACTIVE", currentPeriodStart: now, currentPeriodEnd: periodEnd });
    }
    return true;
  });
}

/**
 * Workspaces (the tenant) and their creation: a workspace is never without an OWNER and a
 * live subscription, so both are written in the same transaction as the workspace.
 */
import { and, asc, desc, eq, ilike, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { plans, subscriptions, workspaceMembers, workspaces } from "../schema";
import { getDefaultPlan } from "./plans";

export type Workspace = typeof workspaces.$inferSelect;
export type WorkspaceRole = (typeof workspaceMembers.$inferSelect)["role"];

export { DEFAULT_PLAN_CODE } from "./plans";

/**
 * Inserts the workspace, its OWNER membership and a subscription to `planCode`, or to the
 * default plan (DEFAULT_PLAN or the admin screen; Free unless changed). Call inside a
 * transaction. Fails when the plan is missing (run `ensureCatalog` at start-up).
 */
export async function createWorkspaceWithOwner(
  tx: Executor,
  input: { name: string; slug: string; ownerId: string; isPersonal?: boolean; planCode?: string; now?: Date },
): Promise<Workspace> {
  const now = input.now ?? new Date();
  const [plan] = input.planCode
    ? await tx.select({ id: plans.id }).from(plans).where(eq(plans.code, input.planCode))
    : [await getDefaultPlan(tx)];
  if (!plan) throw new Error(`plan "${input.planCode ?? "default"}" is missing; run the catalog seed`);
  const [workspace] = await tx
    .insert(workspaces)
    .values({ name: input.name, slug: input.slug, isPersonal: input.isPersonal ?? false, createdBy: input.ownerId })
    .returning();
  await tx.insert(workspaceMembers).values({ workspaceId: workspace!.id, userId: input.ownerId, role: "OWNER" });
  const periodEnd = new Date(now);
  periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
  await tx.insert(subscriptions).values({
    workspaceId: workspace!.id,
    planId: plan.id,
    status: "ACTIVE",
    currentPeriodStart: now,
    currentPeriodEnd: periodEnd,
  });
  return workspace!;
}

export async function getWorkspace(db: Executor, workspaceId: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return row;
}

export async function getWorkspaceBySlug(db: Executor, slug: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row;
}

/** The workspaces a user belongs to, with the user's role in each, personal first. */
export async function listWorkspacesForUser(
  db: Executor,
  userId: string,
): Promise<(Workspace & { role: WorkspaceRole })[]> {
  const rows = await db
    .select({ workspace: workspaces, role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(eq(workspaceMembers.userId, userId))
    .orderBy(desc(workspaces.isPersonal), asc(workspaces.createdAt), asc(workspaces.id));
  return rows.map((r) => ({ ...r.workspace, role: r.role }));
}

export async function updateWorkspace(
  db: Executor,
  workspaceId: string,
  patch: Partial<Pick<Workspace, "name">>,
): Promise<Workspace | undefined> {
  const [row] = await db.update(workspaces).set(patch).where(eq(workspaces.id, workspaceId)).returning();
  return row;
}

export async function deleteWorkspace(db: Executor, workspaceId: string): Promise<boolean> {
  const rows = await db.delete(workspaces).where(eq(workspaces.id, workspaceId)).returning({ id: workspaces.id });
  return rows.length > 0;
}

/** Platform-admin listing: every workspace with its owner e-mail, member and bot counts and plan. */
export async function listAllWorkspaces(
  db: Executor,
  params: { limit: number; offset: number; search?: string },
) {
  const where = params.search
    ? ilike(workspaces.name, `%${params.search.replace(/[%_\\]/g, "\\$&")}%`)
    : undefined;
  const items = await db
    .select({
      workspace: workspaces,
      // Raw SQL with qualified names: inside sql`` drizzle renders bare column names.
      ownerEmail: sql<string | null>`(select u.email from workspace_members m join users u on u.id = m.user_id where m.workspace_id = "workspaces"."id" and m.role = 'OWNER' order by m.created_at limit 1)`,
      memberCount: sql<number>`(select count(*)::int from workspace_members m where m.workspace_id = "workspaces"."id")`,
      botCount: sql<number>`(select count(*)::int from bots b where b.workspace_id = "workspaces"."id")`,
      plan: sql<{ id: string; code: string; name: string } | null>`(select json_build_object('id', p.id, 'code', p.code, 'name', p.name) from subscriptions s join plans p on p.id = s.plan_id where s.workspace_id = "workspaces"."id" and s.status <> 'CANCELED' limit 1)`,
    })
    .from(workspaces)
    .where(where)
    .orderBy(asc(workspaces.createdAt), asc(workspaces.id))
    .limit(params.limit)
    .offset(params.offset);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(workspaces).where(where);
  return { items, total: count?.n ?? 0 };
}

/** Whether the user is a member (any role) of the workspace. */
export async function isMember(db: Executor, workspaceId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return row !== undefined;
}

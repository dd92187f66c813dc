/** Workspace membership: who belongs to a workspace and with which role. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { users, workspaceMembers } from "../schema";
import { normalizeEmail, type User } from "./users";
import type { WorkspaceRole } from "./workspaces";

export type Membership = typeof workspaceMembers.$inferSelect;
export type MemberWithUser = Membership & { user: Pick<User, "id" | "email" | "name" | "status"> };

export async function getMembership(
  db: Executor,
  params: { workspaceId: string; userId: string },
): Promise<Membership | undefined> {
  const [row] = await db
    .select()
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, params.workspaceId), eq(workspaceMembers.userId, params.userId)));
  return row;
}

const memberColumns = {
  membership: workspaceMembers,
  user: { id: users.id, email: users.email, name: users.name, status: users.status },
};

export async function listMembers(db: Executor, workspaceId: string): Promise<MemberWithUser[]> {
  const rows = await db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .orderBy(asc(workspaceMembers.createdAt), asc(workspaceMembers.id));
  return rows.map((r) => ({ ...r.membership, user: r.user }));
}

export async function getMember(
  db: Executor,
  params: { workspaceId: string; userId: string },
): Promise<MemberWithUser | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, params.workspaceId), eq(workspaceMembers.userId, params.userId)));
  return row ? { ...row.membership, user: row.user } : undefined;
}

/** The member with this e-mail address, if the address belongs to one. */
export async function getMemberByEmail(
  db: Executor,
  params: { workspaceId: string; email: string },
): Promise<MemberWithUser | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, params.workspaceId), eq(users.email, normalizeEmail(params.email))));
  return row ? { ...row.membership, user: row.user } : undefined;
}

export async function addMember(
  db: Executor,
  input: { workspaceId: string; userId: string; role: WorkspaceRole; invitedBy?: string | null },
): Promise<Membership | undefined> {
  const [row] = await db
    .insert(workspaceMembers)
    .values({ ...input, invitedBy: input.invitedBy ?? null })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function setMemberRole(
  db: Executor,
  params: { workspaceId: string; userId: string; role: WorkspaceRole },
): Promise<void> {
  await db
    .update(workspaceMembers)
    .set({ role: params.role })
    .where(and(eq(workspaceMembers.workspaceId, params.workspaceId), eq(workspaceMembers.userId, params.userId)));
}

export async function removeMember(db: Executor, params: { workspaceId: string; userId: string }): Promise<void> {
  await db
    .delete(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, params.workspaceId), eq(workspaceMembers.userId, params.userId)));
}

/**
 * Counts OWNERs while locking their rows, so two concurrent "remove the other owner"
 * requests cannot both succeed and leave the workspace without one. Use in a transaction.
 */
export async function countOwnersForUpdate(db: Executor, workspaceId: string): Promise<number> {
  const rows = await db.execute<{ id: string }>(
    sql`select id from ${workspaceMembers} where ${workspaceMembers.workspaceId} = ${workspaceId} and ${workspaceMembers.role} = 'OWNER' for update`,
  );
  return rows.length;
}

/**
 * Pending workspace invitations, one per address and workspace. Accepting deletes the row
 * in the same statement that checks the token, so an invitation is used once.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import type { Executor } from "../client";
import { users, workspaceInvitations, workspaces } from "../schema";
import { normalizeEmail } from "./users";
import type { WorkspaceRole } from "./workspaces";

export type Invitation = typeof workspaceInvitations.$inferSelect;

/** Creates the invitation, or renews the address's pending one (new role, token and expiry). */
export async function upsertInvitation(
  db: Executor,
  input: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string | null; tokenHash: string; expiresAt: Date },
): Promise<Invitation> {
  const values = { ...input, email: normalizeEmail(input.email) };
  const [row] = await db
    .insert(workspaceInvitations)
    .values(values)
    .onConflictDoUpdate({
      target: [workspaceInvitations.workspaceId, workspaceInvitations.email],
      set: { role: values.role, invitedBy: values.invitedBy, tokenHash: values.tokenHash, expiresAt: values.expiresAt, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

export async function listInvitations(db: Executor, workspaceId: string): Promise<Invitation[]> {
  return db
    .select()
    .from(workspaceInvitations)
    .where(eq(workspaceInvitations.workspaceId, workspaceId))
    .orderBy(asc(workspaceInvitations.createdAt), asc(workspaceInvitations.id));
}

/** A new token and expiry for a pending invitation (resend). */
export async function renewInvitation(
  db: Executor,
  params: { workspaceId: string; invitationId: string; tokenHash: string; expiresAt: Date },
): Promise<Invitation | undefined> {
  const [row] = await db
    .update(workspaceInvitations)
    .set({ tokenHash: params.tokenHash, expiresAt: params.expiresAt, updatedAt: new Date() })
    .where(and(eq(workspaceInvitations.workspaceId, params.workspaceId), eq(workspaceInvitations.id, params.invitationId)))
    .returning();
  return row;
}

export async function deleteInvitation(
  db: Executor,
  params: { workspaceId: string; invitationId: string },
): Promise<Invitation | undefined> {
  const [row] = await db
    .delete(workspaceInvitations)
    .where(and(eq(workspaceInvitations.workspaceId, params.workspaceId), eq(workspaceInvitations.id, params.invitationId)))
    .returning();
  return row;
}

export interface InvitationPreview {
  invitation: Invitation;
  workspaceName: string;
  inviterName: string | null;
  inviterEmail: string | null;
}

/** A live (unexpired) invitation by its token, with what the invitee is shown. */
export async function findInvitationByToken(db: Executor, tokenHash: string, now = new Date()): Promise<InvitationPreview | undefined> {
  const [row] = await db
    .select({ invitation: workspaceInvitations, workspaceName: workspaces.name, inviterName: users.name, inviterEmail: users.email })
    .from(workspaceInvitations)
    .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.workspaceId))
    .leftJoin(users, eq(users.id, workspaceInvitations.invitedBy))
    .where(and(eq(workspaceInvitations.tokenHash, tokenHash), gt(workspaceInvitations.expiresAt, now)));
  return row;
}

/** Deletes and returns the live invitation with this token: its one use. */
export async function takeInvitation(db: Executor, tokenHash: string, now = new Date()): Promise<Invitation | undefined> {
  const [row] = await db
    .delete(workspaceInvitations)
    .where(and(eq(workspaceInvitations.tokenHash, tokenHash), gt(workspaceInvitations.expiresAt, now)))
    .returning();
  return row;
}

/**
 * Security regression (issue #12, item 5), existing data: invitations used to create a
 * placeholder user (PENDING_VERIFICATION, no password) already holding the membership,
 * which whoever signed up first with the address took over. The legacy_invitations migration turns each
 * such membership into a pending invitation (already expired: an owner resends it) and
 * deletes the placeholder; real accounts and their memberships are left alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useTestDatabase } from "./testing/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ensureCatalog } from "./catalog";
import { migrationsFolder } from "./migrate";
import { addMember } from "./queries/members";
import { setEmailPassword } from "./queries/users";
import * as s from "./schema";
import { createUser, createWorkspace } from "./testing/factories";

const db = await useTestDatabase();
await ensureCatalog(db.db);

describe("the legacy_invitations migration", () => {
  it("turns placeholder memberships into expired invitations and removes the placeholders", async () => {
    const owner = await createUser(db.db);
    const real = await createUser(db.db);
    await setEmailPassword(db.db, { userId: real.id, email: real.email, passwordHash: "scrypt$x" });
    // What invitations used to make: a user without a password, already a member.
    const placeholder = await createUser(db.db, { email: "invited@legacy.example", status: "PENDING_VERIFICATION" });
    const workspace = await createWorkspace(db.db, { owner });
    await addMember(db.db, { workspaceId: workspace.id, userId: real.id, role: "MEMBER", invitedBy: owner.id });
    await addMember(db.db, { workspaceId: workspace.id, userId: placeholder.id, role: "ADMIN", invitedBy: owner.id });

    // Found by name, not number: migrations may be renumbered when branches merge.
    const file = readdirSync(migrationsFolder).find((f) => f.endsWith("_legacy_invitations.sql"))!;
    const migration = readFileSync(join(migrationsFolder, file), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) await db.sql.unsafe(statement);

    expect(await db.db.select().from(s.users).where(eq(s.users.id, placeholder.id))).toEqual([]);
    const members = await db.db.select().from(s.workspaceMembers).where(eq(s.workspaceMembers.workspaceId, workspace.id));
    expect(members.map((m) => m.userId).sort()).toEqual([owner.id, real.id].sort());
    const [invitation, ...others] = await db.db.select().from(s.workspaceInvitations);
    expect(others).toEqual([]);
    expect(invitation).toMatchObject({ workspaceId: workspace.id, email: "invited@legacy.example", role: "ADMIN", invitedBy: owner.id });
    expect(invitation!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(invitation!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

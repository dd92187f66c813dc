import { relations, sql } from "drizzle-orm";
import { check, index, pgTable, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { workspaceRole } from "./enums";
import { users } from "./users";
import { workspaces } from "./workspaces";

/**
 * Pending invitations to a workspace, one per address. The invitee gets a signed link by
 * e-mail and joins only by accepting it while signed in with that (verified) address;
 * the row is deleted when accepted or revoked. Only the SHA-256 of the token is stored;
 * resending replaces it (and the expiry).
 */
export const workspaceInvitations = pgTable(
  "workspace_invitations",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Lower-cased address the invitation was sent to. */
    email: varchar({ length: 320 }).notNull(),
    role: workspaceRole().default("MEMBER").notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** hex SHA-256 of the token in the link. */
    tokenHash: varchar({ length: 64 }).notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ...timestamps(),
  },
  (t) => [
    unique().on(t.workspaceId, t.email),
    index().on(t.email),
    check("workspace_invitations_email_lowercase", sql`${t.email} = lower(${t.email})`),
  ],
);

export const workspaceInvitationsRelations = relations(workspaceInvitations, ({ one }) => ({
  workspace: one(workspaces, { fields: [workspaceInvitations.workspaceId], references: [workspaces.id] }),
  inviter: one(users, { fields: [workspaceInvitations.invitedBy], references: [users.id] }),
}));

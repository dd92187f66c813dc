import { relations, sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { authMethods } from "./auth-methods";
import { platformRole, userStatus } from "./enums";
import { sessions } from "./sessions";
import { userPreferences } from "./user-preferences";
import { workspaceMembers } from "./workspace-members";

export const users = pgTable(
  "users",
  {
    id: id(),
    /** Stored lower-cased (the check enforces it) so uniqueness is case-insensitive. */
    email: varchar({ length: 320 }).notNull().unique(),
    name: varchar({ length: 255 }),
    imageUrl: text(),
    role: platformRole().default("USER").notNull(),
    status: userStatus().default("ACTIVE").notNull(),
    emailVerified: boolean().default(false).notNull(),
    lastLoginAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.role),
    index().on(t.status),
    check("users_email_lowercase", sql`${t.email} = lower(${t.email})`),
  ],
);

export const usersRelations = relations(users, ({ many, one }) => ({
  authMethods: many(authMethods),
  sessions: many(sessions),
  memberships: many(workspaceMembers),
  preferences: one(userPreferences),
}));

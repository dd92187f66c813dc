import { relations } from "drizzle-orm";
import { boolean, pgTable, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const userPreferences = pgTable("user_preferences", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** "light" | "dark" | "system": the admin app's theme. */
  theme: varchar({ length: 16 }).default("system").notNull(),
  locale: varchar({ length: 16 }).default("en").notNull(),
  timezone: varchar({ length: 64 }).default("UTC").notNull(),
  /** The workspace the admin app opens on; null falls back to the personal workspace. */
  defaultWorkspaceId: uuid().references(() => workspaces.id, { onDelete: "set null" }),
  emailNotifications: boolean().default(true).notNull(),
  ...timestamps(),
});

export const userPreferencesRelations = relations(userPreferences, ({ one }) => ({
  user: one(users, { fields: [userPreferences.userId], references: [users.id] }),
}));

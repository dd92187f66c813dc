import { relations } from "drizzle-orm";
import { boolean, index, pgTable, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { apiKeys } from "./api-keys";
import { bots } from "./bots";
import { subscriptions } from "./subscriptions";
import { tenantSettings } from "./tenant-settings";
import { users } from "./users";
import { workspaceMembers } from "./workspace-members";

/** The tenant. Bots, keys, plans and analytics belong to a workspace, never to a user. */
export const workspaces = pgTable(
  "workspaces",
  {
    id: id(),
    name: varchar({ length: 120 }).notNull(),
    slug: varchar({ length: 64 }).notNull().unique(),
    /** The workspace made for a user at sign-up; it cannot be deleted while the user exists. */
    isPersonal: boolean().default(false).notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [index().on(t.createdBy)],
);

export const workspacesRelations = relations(workspaces, ({ many, one }) => ({
  members: many(workspaceMembers),
  bots: many(bots),
  apiKeys: many(apiKeys),
  subscriptions: many(subscriptions),
  settings: one(tenantSettings),
}));

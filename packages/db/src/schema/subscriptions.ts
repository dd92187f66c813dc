import { relations, sql } from "drizzle-orm";
import { boolean, index, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { subscriptionStatus } from "./enums";
import { plans } from "./plans";
import { workspaces } from "./workspaces";

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: "restrict" }),
    status: subscriptionStatus().default("ACTIVE").notNull(),
    currentPeriodStart: timestamp({ withTimezone: true }).defaultNow().notNull(),
    currentPeriodEnd: timestamp({ withTimezone: true }).notNull(),
    autoRenew: boolean().default(true).notNull(),
    canceledAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.planId),
    // A workspace has at most one live subscription; canceled ones are history.
    uniqueIndex("subscriptions_one_live_per_workspace")
      .on(t.workspaceId)
      .where(sql`${t.status} <> 'CANCELED'`),
  ],
);

export const subscriptionsRelations = relations(subscriptions, ({ one }) => ({
  workspace: one(workspaces, {
    fields: [subscriptions.workspaceId],
    references: [workspaces.id],
  }),
  plan: one(plans, { fields: [subscriptions.planId], references: [plans.id] }),
}));

import { relations } from "drizzle-orm";
import { index, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import type { ApiKeyScope } from "@docent/contracts/json";
import { id, timestamps } from "./_columns";
import { bots } from "./bots";
import { users } from "./users";
import { workspaces } from "./workspaces";

/** Integrator keys. The secret is shown once at creation; only its SHA-256 is kept. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** When set, the key works only for this bot. */
    botId: uuid().references(() => bots.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    name: varchar({ length: 120 }).notNull(),
    /** The first characters of the secret ("dk_live_AbCd1234"), shown in lists. */
    prefix: varchar({ length: 32 }).notNull(),
    /** hex SHA-256 of the full secret; keys are high-entropy, so a fast hash suffices. */
    keyHash: varchar({ length: 64 }).notNull().unique(),
    scopes: text().array().$type<ApiKeyScope[]>().notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [index().on(t.workspaceId), index().on(t.botId)],
);

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  workspace: one(workspaces, { fields: [apiKeys.workspaceId], references: [workspaces.id] }),
  bot: one(bots, { fields: [apiKeys.botId], references: [bots.id] }),
}));

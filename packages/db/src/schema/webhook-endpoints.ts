import { relations } from "drizzle-orm";
import { boolean, index, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { users } from "./users";
import { workspaces } from "./workspaces";

/**
 * A workspace's outgoing webhook target. The signing secret must be read back to sign
 * each delivery, so it cannot be hashed like an API key: `secretCiphertext` is sealed with
 * the application key ring (DOCENT_ENCRYPTION_KEYS, AAD `webhook_endpoints:<workspaceId>:<id>`),
 * as BYOK keys are. The plaintext is shown once, at creation and at rotation.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    url: text().notNull(),
    description: varchar({ length: 500 }).notNull().default(""),
    /** Event types delivered to it ("document.processed", ...); see @docent/contracts/webhooks. */
    eventTypes: text().array().notNull(),
    enabled: boolean().notNull().default(true),
    secretCiphertext: text().notNull(),
    /** "whsec_AbCd..." : the first characters, shown in lists. */
    secretHint: varchar({ length: 32 }).notNull(),
    ...timestamps(),
  },
  (t) => [index().on(t.workspaceId)],
);

export const webhookEndpointsRelations = relations(webhookEndpoints, ({ one }) => ({
  workspace: one(workspaces, { fields: [webhookEndpoints.workspaceId], references: [workspaces.id] }),
}));

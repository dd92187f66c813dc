import { relations } from "drizzle-orm";
import { index, pgTable, text, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { authProvider } from "./enums";
import { users } from "./users";

/** One row per way a user can sign in; a user may link email, Google and GitHub. */
export const authMethods = pgTable(
  "auth_methods",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: authProvider().notNull(),
    /** The provider's stable account id: the e-mail for `email`, the OAuth subject otherwise. */
    providerAccountId: varchar({ length: 320 }).notNull(),
    /** `email` only: "scrypt$N$r$p$salt$hash" (base64 parts), a slow hash with a per-user salt. */
    passwordHash: text(),
    lastUsedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique().on(t.provider, t.providerAccountId),
    unique().on(t.userId, t.provider),
    index().on(t.userId),
  ],
);

export const authMethodsRelations = relations(authMethods, ({ one }) => ({
  user: one(users, { fields: [authMethods.userId], references: [users.id] }),
}));

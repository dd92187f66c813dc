import { relations, sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { authProvider } from "./enums";
import { users } from "./users";

/**
 * One row per way a user can sign in: a password (`email`), Google, GitHub, or one of the
 * OpenID Connect providers the operator configured (`oidc`, told apart by `providerName`).
 * A user links at most one account per provider, and a provider account belongs to at
 * most one user.
 */
export const authMethods = pgTable(
  "auth_methods",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: authProvider().notNull(),
    /**
     * `oidc` only: the operator's name for the provider (an `OIDC_PROVIDERS` entry, e.g.
     * "keycloak"); null for the built-in kinds. Part of both unique keys, with NULLS NOT
     * DISTINCT so the built-in kinds stay unique per user too.
     */
    providerName: varchar({ length: 64 }),
    /**
     * The provider's stable id of the account: the e-mail for `email`, the ID token's
     * `sub` for Google and OIDC, GitHub's numeric user id. Never the e-mail for a provider:
     * addresses change hands, subjects do not.
     */
    providerAccountId: varchar({ length: 320 }).notNull(),
    /**
     * Google and OIDC: the issuer that asserted `providerAccountId`. A subject is unique
     * only within its issuer, so a provider whose issuer the operator changed does not
     * sign anyone in to the accounts linked under the old one.
     */
    issuer: text(),
    /** The address the provider gave when the method was linked or last used (shown in settings). */
    email: varchar({ length: 320 }),
    /** `email` only: "scrypt$N$r$p$salt$hash" (base64 parts), a slow hash with a per-user salt. */
    passwordHash: text(),
    lastUsedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique("auth_methods_provider_account_unique").on(t.provider, t.providerName, t.providerAccountId).nullsNotDistinct(),
    unique("auth_methods_user_provider_unique").on(t.userId, t.provider, t.providerName).nullsNotDistinct(),
    index().on(t.userId),
    // Written without naming `oidc`: a value added to an enum cannot be used in the
    // transaction that adds it, and the migrator applies migrations in one.
    check("auth_methods_provider_name", sql`(${t.providerName} is null) = (${t.provider} in ('email', 'google', 'github'))`),
  ],
);

export const authMethodsRelations = relations(authMethods, ({ one }) => ({
  user: one(users, { fields: [authMethods.userId], references: [users.id] }),
}));

import { relations, sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { emailTokenPurpose } from "./enums";
import { users } from "./users";

/**
 * Single-use, expiring tokens sent by e-mail: following one proves control of `email`.
 * Only the SHA-256 of the random token is stored; `usedAt` is set atomically on use.
 * - `signup`: the account is created only when the address is verified, so nothing about
 *   an address is decided (or revealed) at sign-up; it carries the chosen password hash.
 * - `verify_email`: marks an existing account's address verified.
 * - `password_reset`: sets a new password (and, having proved the address, verifies it).
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: id(),
    purpose: emailTokenPurpose().notNull(),
    /** Lower-cased address the token was sent to. */
    email: varchar({ length: 320 }).notNull(),
    /** The account concerned; null for `signup` (no account yet). */
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    /** `signup` only: the scrypt hash of the chosen password, applied on verification. */
    passwordHash: text(),
    /** `signup` only: the display name given at sign-up. */
    name: varchar({ length: 255 }),
    /** hex SHA-256 of the token in the link. */
    tokenHash: varchar({ length: 64 }).notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.userId),
    index().on(t.email),
    index().on(t.expiresAt),
    check("email_tokens_email_lowercase", sql`${t.email} = lower(${t.email})`),
  ],
);

export const emailTokensRelations = relations(emailTokens, ({ one }) => ({
  user: one(users, { fields: [emailTokens.userId], references: [users.id] }),
}));

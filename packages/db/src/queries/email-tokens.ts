/**
 * E-mailed single-use tokens (sign-up, address verification, password reset), found by
 * the SHA-256 of the token in the link. Using one is one atomic UPDATE, so a link works
 * once even when clicked twice at the same moment.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { emailTokens } from "../schema";
import { normalizeEmail } from "./users";

export type EmailToken = typeof emailTokens.$inferSelect;
export type EmailTokenPurpose = EmailToken["purpose"];

export async function createEmailToken(
  db: Executor,
  input: {
    purpose: EmailTokenPurpose;
    email: string;
    userId?: string | null;
    passwordHash?: string | null;
    name?: string | null;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<EmailToken> {
  const [row] = await db
    .insert(emailTokens)
    .values({
      purpose: input.purpose,
      email: normalizeEmail(input.email),
      userId: input.userId ?? null,
      passwordHash: input.passwordHash ?? null,
      name: input.name ?? null,
      tokenHash: input.tokenHash,
      expiresAt: input.expiresAt,
    })
    .returning();
  return row!;
}

/** Marks the token used and returns it; undefined when unknown, expired, used or of another purpose. */
export async function useEmailToken(
  db: Executor,
  params: { purpose: EmailTokenPurpose; tokenHash: string },
  now = new Date(),
): Promise<EmailToken | undefined> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, params.tokenHash),
        eq(emailTokens.purpose, params.purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** The purpose of a live token, so one landing page can serve every kind of link. */
export async function findLiveEmailToken(db: Executor, tokenHash: string, now = new Date()): Promise<EmailToken | undefined> {
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, tokenHash), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)));
  return row;
}

/** Voids a user's outstanding tokens of one purpose (older reset links die with a new one or a reset). */
export async function voidEmailTokens(
  db: Executor,
  params: { userId: string; purpose: EmailTokenPurpose },
  now = new Date(),
): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, params.userId), eq(emailTokens.purpose, params.purpose), isNull(emailTokens.usedAt)));
}

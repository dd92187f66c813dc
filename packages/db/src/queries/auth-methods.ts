/**
 * Sign-in methods other than the password itself (see users.ts for that): finding the
 * account a provider identity is linked to, linking, listing and unlinking.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { authMethods, users } from "../schema";
import { normalizeEmail, type User } from "./users";

export type AuthMethod = typeof authMethods.$inferSelect;
export type AuthProvider = AuthMethod["provider"];

/** Who a provider says someone is: the provider (kind and configured name) and its subject. */
export interface ProviderAccountRef {
  provider: Exclude<AuthProvider, "email">;
  /** `oidc` only: the operator's name for the provider; null for google and github. */
  providerName: string | null;
  providerAccountId: string;
}

const providerNameIs = (name: string | null) => (name === null ? isNull(authMethods.providerName) : eq(authMethods.providerName, name));

/** The method (and its user) a provider account is linked to, if any. */
export async function findMethodByProviderAccount(
  db: Executor,
  ref: ProviderAccountRef,
): Promise<{ method: AuthMethod; user: User } | undefined> {
  const [row] = await db
    .select({ method: authMethods, user: users })
    .from(authMethods)
    .innerJoin(users, eq(users.id, authMethods.userId))
    .where(
      and(
        eq(authMethods.provider, ref.provider),
        providerNameIs(ref.providerName),
        eq(authMethods.providerAccountId, ref.providerAccountId),
      ),
    );
  return row;
}

/** Links a provider account to a user. Fails with a unique violation when either side is already linked. */
export async function insertAuthMethod(
  db: Executor,
  input: ProviderAccountRef & { userId: string; issuer: string | null; email: string | null },
): Promise<AuthMethod> {
  const now = new Date();
  const [row] = await db
    .insert(authMethods)
    .values({
      userId: input.userId,
      provider: input.provider,
      providerName: input.providerName,
      providerAccountId: input.providerAccountId,
      issuer: input.issuer,
      email: input.email === null ? null : normalizeEmail(input.email),
      lastUsedAt: now,
    })
    .returning();
  return row!;
}

/** Records a sign-in with the method (and the address the provider gave this time). */
export async function touchAuthMethod(db: Executor, methodId: string, email: string | null): Promise<void> {
  await db
    .update(authMethods)
    .set({ lastUsedAt: new Date(), ...(email === null ? {} : { email: normalizeEmail(email) }) })
    .where(eq(authMethods.id, methodId));
}

/** Records a password sign-in (the `email` method's last use). */
export async function touchPasswordMethod(db: Executor, userId: string): Promise<void> {
  await db
    .update(authMethods)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(authMethods.userId, userId), eq(authMethods.provider, "email")));
}

/** The user's methods, oldest first. `forUpdate` locks them (unlinking counts what remains). */
export async function listAuthMethods(db: Executor, userId: string, options: { forUpdate?: boolean } = {}): Promise<AuthMethod[]> {
  const query = db.select().from(authMethods).where(eq(authMethods.userId, userId)).orderBy(asc(authMethods.createdAt), asc(authMethods.id));
  return options.forUpdate ? query.for("update") : query;
}

export async function deleteAuthMethod(db: Executor, input: { userId: string; methodId: string }): Promise<boolean> {
  const deleted = await db
    .delete(authMethods)
    .where(and(eq(authMethods.id, input.methodId), eq(authMethods.userId, input.userId)))
    .returning({ id: authMethods.id });
  return deleted.length > 0;
}

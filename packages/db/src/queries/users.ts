/**
 * Users and their e-mail sign-in method. E-mails are lower-cased here, before they reach
 * the `users_email_lowercase` check, so callers may pass any casing.
 */
import { and, asc, eq, ilike, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { authMethods, users } from "../schema";

export type User = typeof users.$inferSelect;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function getUserById(db: Executor, userId: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

export async function getUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return row;
}

/** The user with their e-mail password hash, for sign-in; undefined when either is missing. */
export async function getEmailCredentials(
  db: Executor,
  email: string,
): Promise<{ user: User; passwordHash: string | null } | undefined> {
  const [row] = await db
    .select({ user: users, passwordHash: authMethods.passwordHash })
    .from(users)
    .leftJoin(authMethods, and(eq(authMethods.userId, users.id), eq(authMethods.provider, "email")))
    .where(eq(users.email, normalizeEmail(email)));
  return row;
}

export async function getPasswordHash(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ passwordHash: authMethods.passwordHash })
    .from(authMethods)
    .where(and(eq(authMethods.userId, userId), eq(authMethods.provider, "email")));
  return row?.passwordHash ?? null;
}

export async function createUser(
  db: Executor,
  input: { email: string; name?: string | null; status?: User["status"]; role?: User["role"]; emailVerified?: boolean },
): Promise<User> {
  const [row] = await db
    .insert(users)
    .values({
      email: normalizeEmail(input.email),
      name: input.name ?? null,
      status: input.status ?? "ACTIVE",
      role: input.role ?? "USER",
      emailVerified: input.emailVerified ?? false,
    })
    .returning();
  return row!;
}

/** Creates or replaces the user's e-mail sign-in method with a new password hash. */
export async function setEmailPassword(
  db: Executor,
  input: { userId: string; email: string; passwordHash: string },
): Promise<void> {
  await db
    .insert(authMethods)
    .values({
      userId: input.userId,
      provider: "email",
      providerAccountId: normalizeEmail(input.email),
      passwordHash: input.passwordHash,
    })
    .onConflictDoUpdate({
      target: [authMethods.userId, authMethods.provider, authMethods.providerName],
      set: { passwordHash: input.passwordHash, updatedAt: new Date() },
    });
}

export async function updateUser(
  db: Executor,
  userId: string,
  patch: Partial<Pick<User, "name" | "status" | "role" | "lastLoginAt" | "emailVerified">>,
): Promise<User | undefined> {
  const [row] = await db.update(users).set(patch).where(eq(users.id, userId)).returning();
  return row;
}

export async function listUsers(
  db: Executor,
  params: { limit: number; offset: number; search?: string },
): Promise<{ items: User[]; total: number }> {
  const where = params.search ? ilike(users.email, `%${params.search.replace(/[%_\\]/g, "\\$&")}%`) : undefined;
  const items = await db
    .select()
    .from(users)
    .where(where)
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(params.limit)
    .offset(params.offset);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  return { items, total: count?.n ?? 0 };
}

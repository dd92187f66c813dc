/** Browser sessions, looked up by the SHA-256 of the cookie token (the token is never stored). */
import { and, eq, gt, lt, ne } from "drizzle-orm";
import type { Executor } from "../client";
import { sessions, users } from "../schema";
import type { User } from "./users";

export type Session = typeof sessions.$inferSelect;

export async function createSession(
  db: Executor,
  input: { userId: string; tokenHash: string; expiresAt: Date; ipAddress?: string | null; userAgent?: string | null },
): Promise<Session> {
  const [row] = await db
    .insert(sessions)
    .values({
      userId: input.userId,
      tokenHash: input.tokenHash,
      expiresAt: input.expiresAt,
      ipAddress: input.ipAddress?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 1000) ?? null,
    })
    .returning();
  return row!;
}

/** An unexpired session with its user, or undefined. */
export async function findActiveSession(
  db: Executor,
  tokenHash: string,
  now = new Date(),
): Promise<{ session: Session; user: User } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  return row;
}

/** Records activity and slides the expiry forward. */
export async function touchSession(
  db: Executor,
  sessionId: string,
  input: { lastSeenAt: Date; expiresAt: Date },
): Promise<void> {
  await db.update(sessions).set(input).where(eq(sessions.id, sessionId));
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs the user out everywhere, optionally keeping the current session. */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  exceptSessionId?: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      exceptSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
        : eq(sessions.userId, userId),
    );
}

export async function deleteExpiredSessions(db: Executor, now = new Date()): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return rows.length;
}

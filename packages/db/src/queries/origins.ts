/** Sites allowed to embed a bot's widget (values arrive already normalised). */
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { botAllowedOrigins } from "../schema";

export type AllowedOrigin = typeof botAllowedOrigins.$inferSelect;

export async function listOrigins(db: Executor, botId: string): Promise<AllowedOrigin[]> {
  return db
    .select()
    .from(botAllowedOrigins)
    .where(eq(botAllowedOrigins.botId, botId))
    .orderBy(asc(botAllowedOrigins.createdAt), asc(botAllowedOrigins.id));
}

/** Adds the origin; undefined when the bot already allows it. */
export async function addOrigin(
  db: Executor,
  input: { botId: string; origin: string },
): Promise<AllowedOrigin | undefined> {
  const [row] = await db.insert(botAllowedOrigins).values(input).onConflictDoNothing().returning();
  return row;
}

export async function removeOrigin(db: Executor, params: { botId: string; originId: string }): Promise<boolean> {
  const rows = await db
    .delete(botAllowedOrigins)
    .where(and(eq(botAllowedOrigins.botId, params.botId), eq(botAllowedOrigins.id, params.originId)))
    .returning({ id: botAllowedOrigins.id });
  return rows.length > 0;
}

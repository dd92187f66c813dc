/**
 * Bot lookups of the chat service that are not scoped by a known workspace: the caller
 * checks access (membership, API key workspace) on the returned row before using it.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { bots } from "../schema";
import type { Bot } from "./bots";

export async function getBotById(db: Executor, botId: string): Promise<Bot | undefined> {
  // Read on every question and search: prepared once per connection, no planning.
  const [row] = await db.select().from(bots).where(eq(bots.id, botId)).prepare("get_bot_by_id").execute();
  return row;
}

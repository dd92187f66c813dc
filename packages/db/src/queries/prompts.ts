/**
 * Versioned system prompts. Activation switches the active flag and the bot's
 * `active_prompt_id` in one transaction; the partial unique index guarantees that at most
 * one prompt per bot is active even under concurrent activations.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { botPrompts, bots } from "../schema";

export type Prompt = typeof botPrompts.$inferSelect;

export async function listPrompts(db: Executor, botId: string): Promise<Prompt[]> {
  return db.select().from(botPrompts).where(eq(botPrompts.botId, botId)).orderBy(desc(botPrompts.version));
}

export async function getPrompt(
  db: Executor,
  params: { botId: string; promptId: string },
): Promise<Prompt | undefined> {
  const [row] = await db
    .select()
    .from(botPrompts)
    .where(and(eq(botPrompts.botId, params.botId), eq(botPrompts.id, params.promptId)));
  return row;
}

/** Adds the next version. The bot row is locked so two creations cannot take one number. */
export async function createPrompt(
  db: Database,
  input: { botId: string; name: string; content: string; createdBy: string | null; activate?: boolean },
): Promise<Prompt> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from ${bots} where ${bots.id} = ${input.botId} for update`);
    const [last] = await tx
      .select({ v: sql<number>`coalesce(max(${botPrompts.version}), 0)::int` })
      .from(botPrompts)
      .where(eq(botPrompts.botId, input.botId));
    const [prompt] = await tx
      .insert(botPrompts)
      .values({
        botId: input.botId,
        version: (last?.v ?? 0) + 1,
        name: input.name,
        content: input.content,
        createdBy: input.createdBy,
      })
      .returning();
    if (!input.activate) return prompt!;
    return activatePromptIn(tx, { botId: input.botId, promptId: prompt!.id });
  });
}

export async function updatePrompt(
  db: Executor,
  params: { botId: string; promptId: string },
  patch: Partial<Pick<Prompt, "name" | "content">>,
): Promise<Prompt | undefined> {
  const [row] = await db
    .update(botPrompts)
    .set(patch)
    .where(and(eq(botPrompts.botId, params.botId), eq(botPrompts.id, params.promptId)))
    .returning();
  return row;
}

async function activatePromptIn(tx: Executor, params: { botId: string; promptId: string }): Promise<Prompt> {
  await tx.execute(sql`select 1 from ${bots} where ${bots.id} = ${params.botId} for update`);
  await tx
    .update(botPrompts)
    .set({ isActive: false })
    .where(and(eq(botPrompts.botId, params.botId), eq(botPrompts.isActive, true)));
  const [prompt] = await tx
    .update(botPrompts)
    .set({ isActive: true })
    .where(and(eq(botPrompts.botId, params.botId), eq(botPrompts.id, params.promptId)))
    .returning();
  if (!prompt) throw new Error("prompt not found");
  await tx.update(bots).set({ activePromptId: prompt.id }).where(eq(bots.id, params.botId));
  return prompt;
}

/** Makes one prompt the bot's active prompt; undefined when it is not the bot's. */
export async function activatePrompt(
  db: Database,
  params: { botId: string; promptId: string },
): Promise<Prompt | undefined> {
  const existing = await getPrompt(db, params);
  if (!existing) return undefined;
  return db.transaction((tx) => activatePromptIn(tx, params));
}

/** Deletes a prompt unless it is active: "deleted" | "active" | "missing". */
export async function deleteInactivePrompt(
  db: Executor,
  params: { botId: string; promptId: string },
): Promise<"deleted" | "active" | "missing"> {
  const rows = await db
    .delete(botPrompts)
    .where(and(eq(botPrompts.botId, params.botId), eq(botPrompts.id, params.promptId), eq(botPrompts.isActive, false)))
    .returning({ id: botPrompts.id });
  if (rows.length > 0) return "deleted";
  return (await getPrompt(db, params)) ? "active" : "missing";
}

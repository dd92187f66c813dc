/**
 * Bots. Every lookup takes the workspace id as well as the bot id, so a bot of another
 * tenant is indistinguishable from one that does not exist.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import type { ModelSettings, RagConfig } from "@docent/contracts/json";
import { botDocuments, botPrompts, bots, widgetConfigurations } from "../schema";
import { notDeleted } from "./document-deletions";

export type Bot = typeof bots.$inferSelect;
export type BotStatus = Bot["status"];

export async function listBots(
  db: Executor,
  params: { workspaceId: string; onlyBotId?: string | null },
): Promise<Bot[]> {
  return db
    .select()
    .from(bots)
    .where(
      and(
        eq(bots.workspaceId, params.workspaceId),
        params.onlyBotId ? eq(bots.id, params.onlyBotId) : undefined,
      ),
    )
    .orderBy(asc(bots.createdAt), asc(bots.id));
}

export async function getBot(
  db: Executor,
  params: { workspaceId: string; botId: string },
): Promise<Bot | undefined> {
  const [row] = await db
    .select()
    .from(bots)
    .where(and(eq(bots.workspaceId, params.workspaceId), eq(bots.id, params.botId)));
  return row;
}

export async function getBotByPublicId(db: Executor, publicId: string): Promise<Bot | undefined> {
  const [row] = await db.select().from(bots).where(eq(bots.publicId, publicId));
  return row;
}

/**
 * Inserts a bot with its widget configuration and, when given, a first prompt (version 1,
 * active). Call inside a transaction.
 */
export async function createBot(
  tx: Executor,
  input: {
    workspaceId: string;
    createdBy: string | null;
    templateId: string | null;
    name: string;
    description: string | null;
    publicId: string;
    ragConfig: RagConfig;
    modelSettings: ModelSettings;
    language: string;
    initialPrompt?: { name: string; content: string } | null;
  },
): Promise<Bot> {
  const { initialPrompt, ...values } = input;
  const [bot] = await tx.insert(bots).values({ ...values, status: "READY" }).returning();
  await tx.insert(widgetConfigurations).values({ botId: bot!.id });
  if (!initialPrompt) return bot!;
  const [prompt] = await tx
    .insert(botPrompts)
    .values({ botId: bot!.id, version: 1, isActive: true, createdBy: input.createdBy, ...initialPrompt })
    .returning();
  const [updated] = await tx
    .update(bots)
    .set({ activePromptId: prompt!.id })
    .where(eq(bots.id, bot!.id))
    .returning();
  return updated!;
}

export async function updateBot(
  db: Executor,
  params: { workspaceId: string; botId: string },
  patch: Partial<Pick<Bot, "name" | "description" | "ragConfig" | "modelSettings" | "language" | "status">>,
): Promise<Bot | undefined> {
  const [row] = await db
    .update(bots)
    .set(patch)
    .where(and(eq(bots.workspaceId, params.workspaceId), eq(bots.id, params.botId)))
    .returning();
  return row;
}

export async function deleteBot(db: Executor, params: { workspaceId: string; botId: string }): Promise<boolean> {
  const rows = await db
    .delete(bots)
    .where(and(eq(bots.workspaceId, params.workspaceId), eq(bots.id, params.botId)))
    .returning({ id: bots.id });
  return rows.length > 0;
}

export async function countBots(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bots).where(eq(bots.workspaceId, workspaceId));
  return row?.n ?? 0;
}

export async function countDocuments(db: Executor, botId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(botDocuments)
    .where(and(eq(botDocuments.botId, botId), notDeleted()));
  return row?.n ?? 0;
}

/** Documents and chunks per bot (bots without documents are absent from the map). */
export async function countDocumentsAndChunks(
  db: Executor,
  botIds: string[],
): Promise<Map<string, { documentCount: number; chunkCount: number }>> {
  if (botIds.length === 0) return new Map();
  const rows = await db
    .select({
      botId: botDocuments.botId,
      documentCount: sql<number>`count(*)::int`,
      chunkCount: sql<number>`coalesce(sum(${botDocuments.chunkCount}), 0)::int`,
    })
    .from(botDocuments)
    .where(and(inArray(botDocuments.botId, botIds), notDeleted()))
    .groupBy(botDocuments.botId);
  return new Map(rows.map((r) => [r.botId, { documentCount: r.documentCount, chunkCount: r.chunkCount }]));
}

/** Widget appearance, one row per bot; created with the bot, recreated with defaults if absent. */
import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { widgetConfigurations } from "../schema";

export type WidgetConfig = typeof widgetConfigurations.$inferSelect;
export type WidgetConfigPatch = Partial<Omit<WidgetConfig, "botId" | "createdAt" | "updatedAt">>;

export async function getWidgetConfig(db: Executor, botId: string): Promise<WidgetConfig> {
  const [row] = await db.select().from(widgetConfigurations).where(eq(widgetConfigurations.botId, botId));
  if (row) return row;
  const [created] = await db
    .insert(widgetConfigurations)
    .values({ botId })
    .onConflictDoUpdate({ target: widgetConfigurations.botId, set: { botId } })
    .returning();
  return created!;
}

export async function updateWidgetConfig(
  db: Executor,
  botId: string,
  patch: WidgetConfigPatch,
): Promise<WidgetConfig> {
  const [row] = await db
    .insert(widgetConfigurations)
    .values({ botId, ...patch })
    .onConflictDoUpdate({ target: widgetConfigurations.botId, set: { ...patch, updatedAt: new Date() } })
    .returning();
  return row!;
}

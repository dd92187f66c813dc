/**
 * Usage per bot, day (UTC) and metric type (usage_daily). Writers add to counters with
 * one upsert per event (`recordUsage`); readers sum them over a date range.
 */
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { type Database, type Executor, executeWithAsyncCommit } from "../client";
import { bots, usageDaily } from "../schema";

export const USAGE_METRICS = [
  /** Answered questions (every channel). */
  "messages",
  /** Calls made with an API key: questions asked through the API and search API calls. */
  "api_calls",
  /** Documents processed (embedded) by the worker. */
  "documents_embedded",
  /** Chunks embedded (reused chunks of an unchanged document are not counted). */
  "chunks_embedded",
  /** Tokens the model reported: the prompt, and the completion. */
  "prompt_tokens",
  "completion_tokens",
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export interface UsageDelta {
  workspaceId: string;
  botId: string;
  metrics: Partial<Record<UsageMetric, number>>;
  at?: Date;
}

/** The upsert adding to the bot's counters of the day; undefined when every amount is zero. */
function usageUpsert(db: Executor, params: UsageDelta) {
  const day = dayOf(params.at ?? new Date());
  const rows = Object.entries(params.metrics)
    .filter(([, value]) => typeof value === "number" && value > 0)
    .map(([metric, value]) => ({ botId: params.botId, workspaceId: params.workspaceId, day, metric, value: Math.round(value!) }));
  if (rows.length === 0) return undefined;
  return db
    .insert(usageDaily)
    .values(rows)
    .onConflictDoUpdate({
      target: [usageDaily.botId, usageDaily.day, usageDaily.metric],
      set: { value: sql`${usageDaily.value} + excluded.value`, updatedAt: new Date() },
    })
    .returning({ metric: usageDaily.metric });
}

/** Adds to today's counters of the bot, in the caller's transaction (one statement; zero amounts are skipped). */
export async function recordUsage(db: Executor, params: UsageDelta): Promise<void> {
  await usageUpsert(db, params);
}

/** The same on its own, committed without waiting for the disk (`executeWithAsyncCommit`): a counter, not user data. */
export async function recordUsageAsyncCommit(db: Database, params: UsageDelta): Promise<void> {
  const statement = usageUpsert(db, params);
  if (statement) await executeWithAsyncCommit(db, statement);
}

export interface UsageRow {
  botId: string;
  botName: string;
  day: string;
  metric: UsageMetric;
  value: number;
}

/** The workspace's counters from `from` to `to` (inclusive days), optionally for one bot and some metrics. */
export async function getUsageByDay(
  db: Executor,
  params: { workspaceId: string; from: string; to: string; botId?: string; metrics?: UsageMetric[] },
): Promise<UsageRow[]> {
  const rows = await db
    .select({ botId: usageDaily.botId, botName: bots.name, day: usageDaily.day, metric: usageDaily.metric, value: usageDaily.value })
    .from(usageDaily)
    .innerJoin(bots, eq(bots.id, usageDaily.botId))
    .where(
      and(
        eq(usageDaily.workspaceId, params.workspaceId),
        gte(usageDaily.day, params.from),
        lte(usageDaily.day, params.to),
        params.botId ? eq(usageDaily.botId, params.botId) : undefined,
        params.metrics?.length ? inArray(usageDaily.metric, params.metrics) : undefined,
      ),
    )
    .orderBy(usageDaily.day, bots.name, usageDaily.metric);
  return rows.map((r) => ({ ...r, metric: r.metric as UsageMetric, value: Number(r.value) }));
}

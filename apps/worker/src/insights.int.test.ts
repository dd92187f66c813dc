/**
 * The daily topic-statistics aggregation on real Postgres and Redis: a day's questions
 * per topic become one row per (topic, day) with messages, conversations, thumbs, average
 * rating and unanswered count; running it twice leaves the same rows; a re-assignment
 * (or a topic losing its questions) is picked up by the next run; the worker keeps one
 * job scheduler and a queued job fills the table.
 */
import { createLogger } from "@docent/config/logger";
import { analyticsFeedback, analyticsQueryLogs, chatbotTopics, chatbotTopicStats, conversations, messages } from "@docent/db/schema";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { createInsightsQueue, TOPIC_STATS_CRON, TOPIC_STATS_SCHEDULER_ID } from "@docent/queue/insights";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateTopicStats, createInsightsWorker, daysEnding } from "./insights-worker";
import { seedBot } from "../test/seed";

const database = await useTestDatabase();
const db = database.db;
const testRedis = useTestRedis();
const logger = createLogger({ service: "worker-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });
const { bot } = await seedBot(db);
const other = await seedBot(db);
const DAY = "2026-04-10";
const at = (time: string, day = DAY) => new Date(`${day}T${time}Z`);

async function topic(botId: string, name: string) {
  const [t] = await db
    .insert(chatbotTopics)
    .values({ botId, name, color: "#123456", centroid: new Array(768).fill(0.01), embeddingModel: "local:lexical-hash-v1" })
    .returning();
  return t!;
}

/** One question and its answer; `refused` answers with the bot's refusal text. */
async function question(
  botId: string,
  conversationId: string,
  opts: { topicId: string | null; when: Date; rating?: 1 | -1; sources?: number; topScore?: number | null; refused?: boolean },
) {
  const [answer] = await db
    .insert(messages)
    .values({ conversationId, role: "ASSISTANT", content: opts.refused ? bot.modelSettings.refusalText : "An answer.", createdAt: opts.when })
    .returning();
  const [log] = await db
    .insert(analyticsQueryLogs)
    .values({
      botId,
      conversationId,
      messageId: answer!.id,
      channel: "api",
      queryText: "q",
      topicId: opts.topicId,
      sourceDocumentsCount: opts.sources ?? 1,
      topScore: opts.topScore === undefined ? 0.8 : opts.topScore,
      createdAt: opts.when,
    })
    .returning();
  if (opts.rating) await db.insert(analyticsFeedback).values({ queryLogId: log!.id, rating: opts.rating });
  return log!;
}

const conversation = async (botId: string) =>
  (await db.insert(conversations).values({ botId, channel: "api" }).returning())[0]!.id;

const statsRows = () =>
  db
    .select({
      topicId: chatbotTopicStats.topicId,
      botId: chatbotTopicStats.botId,
      day: chatbotTopicStats.day,
      messages: chatbotTopicStats.messages,
      conversations: chatbotTopicStats.conversations,
      thumbsUp: chatbotTopicStats.thumbsUp,
      thumbsDown: chatbotTopicStats.thumbsDown,
      avgRating: chatbotTopicStats.avgRating,
      unanswered: chatbotTopicStats.unanswered,
    })
    .from(chatbotTopicStats)
    .orderBy(asc(chatbotTopicStats.botId), asc(chatbotTopicStats.topicId), asc(chatbotTopicStats.day));

let billing: Awaited<ReturnType<typeof topic>>;
let router: Awaited<ReturnType<typeof topic>>;
let movable: Awaited<ReturnType<typeof question>>;

beforeAll(async () => {
  billing = await topic(bot.id, "Billing");
  router = await topic(bot.id, "Router");
  const otherTopic = await topic(other.bot.id, "Other");
  const c1 = await conversation(bot.id);
  const c2 = await conversation(bot.id);
  await question(bot.id, c1, { topicId: billing.id, when: at("08:00:00"), rating: 1 });
  await question(bot.id, c1, { topicId: billing.id, when: at("09:00:00"), rating: -1, sources: 0, topScore: null });
  await question(bot.id, c2, { topicId: billing.id, when: at("23:59:59"), refused: true });
  movable = await question(bot.id, c2, { topicId: router.id, when: at("12:00:00"), rating: 1 });
  await question(bot.id, c2, { topicId: null, when: at("13:00:00") });
  // Outside the day, and another bot's question: neither counts for this bot's day.
  await question(bot.id, c2, { topicId: billing.id, when: at("00:00:00", "2026-04-11") });
  await question(other.bot.id, await conversation(other.bot.id), { topicId: otherTopic.id, when: at("10:00:00") });
});

describe("aggregateTopicStats", () => {
  it("fills one row per topic and day, and running it twice gives the same rows", async () => {
    expect(await aggregateTopicStats({ db, weakScore: 0.2 }, { day: DAY, days: 1 })).toBe(2);
    const first = await statsRows();
    const mine = first.filter((r) => r.botId === bot.id);
    expect(mine).toEqual(
      expect.arrayContaining([
        { topicId: billing.id, botId: bot.id, day: DAY, messages: 3, conversations: 2, thumbsUp: 1, thumbsDown: 1, avgRating: 3, unanswered: 2 },
        { topicId: router.id, botId: bot.id, day: DAY, messages: 1, conversations: 1, thumbsUp: 1, thumbsDown: 0, avgRating: 5, unanswered: 0 },
      ]),
    );
    expect(mine).toHaveLength(2);
    expect(first.filter((r) => r.botId === other.bot.id)).toHaveLength(1);

    expect(await aggregateTopicStats({ db, weakScore: 0.2 }, { day: DAY, days: 1 })).toBe(2);
    expect(await statsRows()).toEqual(first);
  });

  it("picks up re-assignments: a topic left without questions loses its row", async () => {
    await db.update(analyticsQueryLogs).set({ topicId: billing.id }).where(eq(analyticsQueryLogs.id, movable.id));
    await aggregateTopicStats({ db, weakScore: 0.2 }, { day: DAY, days: 1 });
    const mine = (await statsRows()).filter((r) => r.botId === bot.id);
    expect(mine).toEqual([expect.objectContaining({ topicId: billing.id, messages: 4, thumbsUp: 2, avgRating: expect.closeTo(11 / 3, 5) })]);
  });

  it("recomputes the days ending at the given one", () => {
    expect(daysEnding("2026-03-01", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });
});

describe("insights worker", () => {
  const worker = createInsightsWorker({
    db,
    redis: testRedis.client,
    queuePrefix: testRedis.prefix,
    logger,
    weakScore: 0.2,
    days: 30,
    outageDeadlineMs: 60_000,
  });
  const queue = createInsightsQueue({ connection: testRedis.client, prefix: testRedis.prefix });
  afterAll(async () => {
    await worker.close();
    await queue.close();
  });

  it("keeps one daily job scheduler and runs queued aggregations", async () => {
    await worker.start();
    await worker.start();
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: TOPIC_STATS_SCHEDULER_ID, pattern: TOPIC_STATS_CRON, tz: "UTC" });

    await db.delete(chatbotTopicStats);
    const job = await queue.add("aggregate-topic-stats", { day: "2026-04-11", days: 2 });
    const deadline = Date.now() + 15_000;
    while (!(await job.isCompleted())) {
      if (Date.now() > deadline) throw new Error(`job did not complete: ${await job.getState()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const rows = await statsRows();
    expect(rows.filter((r) => r.day === DAY && r.botId === bot.id)).toHaveLength(1);
    expect(rows.filter((r) => r.day === "2026-04-11")).toEqual([expect.objectContaining({ topicId: billing.id, messages: 1 })]);
  });
});

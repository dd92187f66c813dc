/**
 * Exports on real Postgres: conversations seeded over several days come back exactly for
 * the requested range, one row per message with feedback, topic and citations; a message
 * with quotes, commas and newlines round-trips through a CSV parser; NDJSON parses line
 * by line; the rows are read through a cursor in bounded batches; bad ranges and formats
 * are a clear 400.
 */
import { streamConversationRows } from "@docent/db/queries/exports";
import { analyticsFeedback, analyticsQueryLogs, chatbotTopics, conversations, messageCitations, messages } from "@docent/db/schema";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, useChatTestServices } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";

const { db, redis, embedder } = await useChatTestServices();
const app = await buildTestApp(db, redis, { EXPORT_BATCH_ROWS: "2" });
const acme = await createWorkspaceWithBot(db.db, { name: "Acme" });
const key = await createTestApiKey(db.db, acme.workspace.id);
const { document } = await addDocument(db.db, embedder, acme.bot, "manual.txt", ["Hold the reset button for ten seconds."]);

const tricky = 'She said "reset it, then wait",\nand it worked; 100% sure, "really".';
const at = (day: string, time = "10:00:00") => new Date(`${day}T${time}Z`);

/** A conversation started on `day` with one question and its answer (and a log, feedback, topic). */
async function seedConversation(day: string, question: string, opts: { rating?: 1 | -1; topicId?: string } = {}) {
  const [c] = await db.db.insert(conversations).values({ botId: acme.bot.id, channel: "api", startedAt: at(day) }).returning();
  const [q] = await db.db.insert(messages).values({ conversationId: c!.id, role: "USER", content: question, createdAt: at(day) }).returning();
  const [a] = await db.db
    .insert(messages)
    .values({ conversationId: c!.id, role: "ASSISTANT", content: `Answer to: ${question} [1]`, createdAt: at(day, "10:00:01") })
    .returning();
  await db.db.insert(messageCitations).values({ messageId: a!.id, documentId: document.id, rank: 1, score: 0.9, quote: "Hold the reset button" });
  const [log] = await db.db
    .insert(analyticsQueryLogs)
    .values({ botId: acme.bot.id, conversationId: c!.id, messageId: a!.id, channel: "api", queryText: question, topicId: opts.topicId ?? null, createdAt: at(day) })
    .returning();
  if (opts.rating) await db.db.insert(analyticsFeedback).values({ queryLogId: log!.id, rating: opts.rating, comment: opts.rating < 0 ? 'not "helpful", sorry' : null });
  return { conversation: c!, question: q!, answer: a! };
}

let inRange: Awaited<ReturnType<typeof seedConversation>>[];

beforeAll(async () => {
  const [topic] = await db.db
    .insert(chatbotTopics)
    .values({ botId: acme.bot.id, name: "Router", color: "#2563eb", centroid: new Array(768).fill(0.01), embeddingModel: "local:lexical-hash-v1" })
    .returning();
  await seedConversation("2026-03-01", "Too early");
  inRange = [
    await seedConversation("2026-03-02", tricky, { rating: -1, topicId: topic!.id }),
    await seedConversation("2026-03-03", "How do I reset?", { rating: 1 }),
    await seedConversation("2026-03-04", "Last day, late", {}),
  ];
  await seedConversation("2026-03-05", "Too late");
});

const get = (path: string, k = key) =>
  app.inject({ method: "GET", url: `/v1/bots/${acme.bot.id}/exports/${path}`, headers: { authorization: `Bearer ${k}` } });

describe("GET /v1/bots/:botId/exports/conversations", () => {
  it("returns exactly the range's messages as CSV, with quotes, commas and newlines intact", async () => {
    const res = await get("conversations?from=2026-03-02&to=2026-03-04&format=csv");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="conversations-${acme.bot.id}-2026-03-02-2026-03-04.csv"`);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.message_id)).toEqual(inRange.flatMap((c) => [c.question.id, c.answer.id]));
    expect(rows[0]).toMatchObject({ role: "USER", content: tricky, topic: "Router", feedback: "" });
    expect(rows[1]).toMatchObject({ role: "ASSISTANT", topic: "Router", feedback: "-1", feedback_comment: 'not "helpful", sorry' });
    expect(JSON.parse(rows[1]!.citations!)).toEqual([
      { index: 1, documentId: document.id, documentName: "manual.txt", score: 0.9, quote: "Hold the reset button" },
    ]);
    expect(rows[3]).toMatchObject({ feedback: "1", topic: "" });
  });

  it("returns NDJSON: one JSON object per message", async () => {
    const res = await get("conversations?from=2026-03-02&to=2026-03-02&format=json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    const lines = res.body.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ role: "USER", content: tricky, topic: "Router", feedback: null });
    expect(lines[1]).toMatchObject({ role: "ASSISTANT", feedback: { rating: -1, comment: 'not "helpful", sorry' } });
  });

  it("reads the rows through a cursor in batches of EXPORT_BATCH_ROWS", async () => {
    const sizes: number[] = [];
    for await (const batch of streamConversationRows(db.sql, { botId: acme.bot.id, from: "2026-03-01", to: "2026-03-05" }, 3)) {
      sizes.push(batch.length);
    }
    expect(sizes).toEqual([3, 3, 3, 1]);
  });

  it("streams the body: the reply is a stream, not a buffered string", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/v1/bots/${acme.bot.id}/exports/conversations?from=2026-03-01&to=2026-03-05&format=json`,
      headers: { authorization: `Bearer ${key}` },
      payloadAsStream: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-length"]).toBeUndefined();
    let text = "";
    for await (const chunk of res.stream()) text += String(chunk);
    expect(text.trimEnd().split("\n")).toHaveLength(10);
  });

  it("starts the reply while the cursor is still open, and closes it at the end", async () => {
    // 2,000 messages, read 2 at a time: the reply's first bytes arrive long before the last batch.
    const big = await createWorkspaceWithBot(db.db, { name: "Big" });
    const bigKey = await createTestApiKey(db.db, big.workspace.id);
    await db.sql`
      with c as (insert into conversations (bot_id, channel, started_at) values (${big.bot.id}, 'api', '2026-05-01T08:00:00Z') returning id)
      insert into messages (conversation_id, role, content, created_at)
      select c.id, 'USER', 'question ' || g, '2026-05-01T08:00:00Z'::timestamptz + g * interval '1 second'
      from c, generate_series(1, 2000) g`;
    const cursorOpen = async () =>
      (await db.sql`select 1 from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'
          and query like '%from conversations c%join messages m%'`).length > 0;
    const res = await app.inject({
      method: "GET",
      url: `/v1/bots/${big.bot.id}/exports/conversations?from=2026-05-01&to=2026-05-01&format=csv`,
      headers: { authorization: `Bearer ${bigKey}` },
      payloadAsStream: true,
    });
    expect(res.statusCode).toBe(200);
    const reader = res.stream()[Symbol.asyncIterator]();
    let text = String((await reader.next()).value);
    expect(await cursorOpen()).toBe(true);
    for (let next = await reader.next(); !next.done; next = await reader.next()) text += String(next.value);
    expect(parse(text, { columns: true })).toHaveLength(2000);
    expect(await cursorOpen()).toBe(false);
  });

  it("answers 400 for from after to, a range over 366 days, a bad format or a bad day", async () => {
    for (const query of [
      "from=2026-03-05&to=2026-03-01&format=csv",
      "from=2016-01-01&to=2026-01-01&format=csv",
      "from=2026-03-01&to=2026-03-05&format=xml",
      "from=2026-03-01&to=2026-13-05&format=json",
      "from=2026-03-01&to=2026-03-05",
    ]) {
      const res = await get(`conversations?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toBe("VALIDATION_FAILED");
    }
  });
});

describe("GET /v1/bots/:botId/exports/analytics", () => {
  it("returns one row per day of the range, zeros included", async () => {
    const res = await get("analytics?from=2026-03-01&to=2026-03-06&format=csv");
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.date, r.queries, r.up, r.down])).toEqual([
      ["2026-03-01", "1", "0", "0"],
      ["2026-03-02", "1", "0", "1"],
      ["2026-03-03", "1", "1", "0"],
      ["2026-03-04", "1", "0", "0"],
      ["2026-03-05", "1", "0", "0"],
      ["2026-03-06", "0", "0", "0"],
    ]);
    const json = await get("analytics?from=2026-03-02&to=2026-03-02&format=json");
    expect(JSON.parse(json.body.trim())).toMatchObject({ date: "2026-03-02", queries: 1, down: 1 });
  });
});

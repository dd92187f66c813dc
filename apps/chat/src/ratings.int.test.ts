/**
 * 1-5 star ratings beside thumbs, from API callers and widget visitors: bad values are a
 * 400 naming the field with nothing stored, thumbs and stars are kept apart, the widget's
 * config says whether to offer stars, and analytics shows the distribution and average.
 * The conversation list counts and filters stars as it does thumbs (1-2 negative, 4-5
 * positive).
 */
import { addOrigin } from "@docent/db/queries/origins";
import { updateWidgetConfig } from "@docent/db/queries/widget";
import * as s from "@docent/db/schema";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApiKey, parseSse, useChatTestApp } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();

const acme = await createWorkspaceWithBot(db.db, { name: "Acme support" });
await addDocument(db.db, embedder, acme.bot, "returns.md", [
  "Returns are free within thirty days of delivery; refunds reach your card within five business days.",
]);
await addOrigin(db.db, { botId: acme.bot.id, origin: "https://shop.example" });
const key = await createTestApiKey(db.db, acme.workspace.id);
const auth = { authorization: `Bearer ${key}` };
const today = new Date().toISOString().slice(0, 10);

async function ask(message = "Are returns free?") {
  const res = await app.inject({ method: "POST", url: `/v1/bots/${acme.bot.id}/chat`, headers: auth, payload: { message } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { messageId: string }).messageId;
}
const rate = (messageId: string, payload: object) =>
  app.inject({ method: "POST", url: `/v1/messages/${messageId}/feedback`, headers: auth, payload });
const feedbackRows = async () => db.db.select().from(s.analyticsFeedback);

let answers: string[] = [];
beforeAll(async () => {
  answers = [await ask(), await ask(), await ask(), await ask()];
});

describe("star ratings from API callers", () => {
  it("refuses stars outside 1-5, fractions, a bad thumbs value or an empty body with a 400 naming the field", async () => {
    for (const [payload, field] of [
      [{ stars: 0 }, "body.stars"],
      [{ stars: 6 }, "body.stars"],
      [{ stars: 3.5 }, "body.stars"],
      [{ stars: "5" }, "body.stars"],
      [{ rating: 3 }, "body.rating"],
      [{}, "body.rating"],
      [{ stars: 4, comment: "x".repeat(2001) }, "body.comment"],
    ] as const) {
      const res = await rate(answers[0]!, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const paths = res.json().details.issues.map((i: { path: string }) => i.path);
      expect(paths, JSON.stringify(payload)).toContain(field);
    }
    expect(await feedbackRows()).toEqual([]);
  });

  it("stores stars with a comment, keeps thumbs and stars apart", async () => {
    const first = await rate(answers[0]!, { stars: 4, comment: "Helpful" });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ stars: 4, rating: null, comment: "Helpful" });
    // Thumbs leave the stars alone; the comment is the latest call's, as it was before stars.
    const thumbs = await rate(answers[0]!, { rating: -1, comment: "Wrong after all" });
    expect(thumbs.json()).toMatchObject({ stars: 4, rating: -1, comment: "Wrong after all" });
    const both = await rate(answers[1]!, { rating: 1, stars: 5, comment: null });
    expect(both.json()).toMatchObject({ stars: 5, rating: 1, comment: null });
    expect((await rate(answers[2]!, { stars: 2 })).statusCode).toBe(200);
  });

  it("is a 404 for an unknown message", async () => {
    const res = await rate("00000000-0000-4000-8000-000000000000", { stars: 3 });
    expect(res.statusCode).toBe(404);
  });
});

describe("star ratings from widget visitors", () => {
  const origin = { origin: "https://shop.example" };
  it("offers stars only when the bot's widget config enables it, and takes the visitor's rating", async () => {
    const before = await app.inject({ method: "GET", url: `/v1/widget/${acme.bot.publicId}/config`, headers: origin });
    expect(before.json().offerStars).toBe(false);
    await updateWidgetConfig(db.db, acme.bot.id, { offerStars: true });
    const after = await app.inject({ method: "GET", url: `/v1/widget/${acme.bot.publicId}/config`, headers: origin });
    expect(after.json().offerStars).toBe(true);

    const chat = await app.inject({ method: "POST", url: `/v1/widget/${acme.bot.publicId}/chat`, headers: origin, payload: { message: "Are returns free?" } });
    const events = parseSse(chat.body);
    const { visitorId } = events[0]!.data as { visitorId: string };
    const { messageId } = events.find((e) => e.event === "done")!.data as { messageId: string };
    const url = `/v1/widget/${acme.bot.publicId}/messages/${messageId}/feedback`;

    const bad = await app.inject({ method: "POST", url, headers: origin, payload: { visitorId, stars: 9 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues.map((i: { path: string }) => i.path)).toContain("body.stars");
    const stranger = await app.inject({ method: "POST", url, headers: origin, payload: { visitorId: "v_someone-else-entirely", stars: 1 } });
    expect(stranger.statusCode).toBe(404);
    const ok = await app.inject({ method: "POST", url, headers: origin, payload: { visitorId, stars: 3, comment: "OK" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stars: 3, comment: "OK", rating: null });
  });
});

describe("analytics", () => {
  it("shows the stars distribution and average beside thumbs", async () => {
    const res = await app.inject({ method: "GET", url: `/v1/bots/${acme.bot.id}/analytics?from=${today}&to=${today}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // 4 (API), 5 (API), 2 (API), 3 (widget).
    expect(body.stars).toEqual({
      distribution: [
        { stars: 1, count: 0 },
        { stars: 2, count: 1 },
        { stars: 3, count: 1 },
        { stars: 4, count: 1 },
        { stars: 5, count: 1 },
      ],
      count: 4,
      average: 3.5,
    });
    expect(body.totals).toMatchObject({ up: 1, down: 1 });
  });
});

describe("the conversation list", () => {
  it("counts 1-2 stars as negative and 4-5 as positive, and filters by them", async () => {
    const tenant = await createWorkspaceWithBot(db.db, { name: "Stars only" });
    await addDocument(db.db, embedder, tenant.bot, "faq.md", ["Support answers within one day."]);
    const headers = { authorization: `Bearer ${await createTestApiKey(db.db, tenant.workspace.id)}` };
    const askTenant = async (message: string) => {
      const res = await app.inject({ method: "POST", url: `/v1/bots/${tenant.bot.id}/chat`, headers, payload: { message } });
      expect(res.statusCode).toBe(200);
      return res.json() as { messageId: string; conversationId: string };
    };
    const low = await askTenant("How fast is support?");
    const high = await askTenant("Is support quick?");
    const middle = await askTenant("When does support answer?");
    for (const [answer, stars] of [[low, 2], [high, 5], [middle, 3]] as const) {
      const res = await app.inject({ method: "POST", url: `/v1/messages/${answer.messageId}/feedback`, headers, payload: { stars } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const list = async (query: string) => {
      const res = await app.inject({ method: "GET", url: `/v1/bots/${tenant.bot.id}/conversations${query}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { id: string; positiveFeedback: number; negativeFeedback: number }[] }).items;
    };
    const counts = Object.fromEntries((await list("")).map((c) => [c.id, [c.positiveFeedback, c.negativeFeedback]]));
    expect(counts).toEqual({ [low.conversationId]: [0, 1], [high.conversationId]: [1, 0], [middle.conversationId]: [0, 0] });
    expect((await list("?feedback=negative")).map((c) => c.id)).toEqual([low.conversationId]);
    expect((await list("?feedback=positive")).map((c) => c.id)).toEqual([high.conversationId]);
    expect((await list("?feedback=any")).map((c) => c.id).sort()).toEqual([low, high, middle].map((a) => a.conversationId).sort());
  });
});

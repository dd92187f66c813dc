/**
 * Curated answers through every answering channel (API JSON and SSE, widget, the
 * OpenAI-compatible endpoint, streamed and not): a close rewording gets the curated text,
 * marked as such in the response and the stored message, with its hit count; an unrelated
 * question and a disabled curated answer go to retrieval. Also the CRUD's bad input, and
 * the unanswered-questions inbox on a fixed set of questions whose grouping is known.
 */
import { addOrigin } from "@docent/db/queries/origins";
import * as s from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApiKey, parseSse, useChatTestApp } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";

const { db, app, embedder } = await useChatTestApp();

const acme = await createWorkspaceWithBot(db.db, { name: "Acme support" });
await addDocument(db.db, embedder, acme.bot, "returns.md", [
  "Returns are free within thirty days of delivery; refunds reach your card within five business days.",
]);
await addOrigin(db.db, { botId: acme.bot.id, origin: "https://shop.example" });
const key = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat", "bots:read", "bots:write", "analytics:read"] });
const auth = { authorization: `Bearer ${key}` };
const base = `/v1/bots/${acme.bot.id}`;
const CURATED_TEXT = "Open Settings, then Security, and choose Reset password. The link in the e-mail works for one hour.";
const PARAPHRASE = "I forgot my password, how do I reset it?";

async function createCurated(payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url: `${base}/curated-answers`, headers: auth, payload });
}

async function askApi(message: string) {
  const res = await app.inject({ method: "POST", url: `${base}/chat`, headers: auth, payload: { message } });
  expect(res.statusCode).toBe(200);
  return res.json() as { answer: string; messageId: string; curated: { id: string; question: string } | null };
}

const curatedCount = async () => (await db.db.select().from(s.curatedAnswers)).length;

describe("curated answers CRUD", () => {
  it("refuses empty or too long questions and answers with a 400 naming the field, storing nothing", async () => {
    for (const payload of [
      { question: "   ", answer: "Something" },
      { question: "Why?", answer: "" },
      { question: "x".repeat(2001), answer: "Something" },
    ]) {
      const res = await createCurated(payload);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().details)).toMatch(/body\.(question|answer)/);
    }
    expect(await curatedCount()).toBe(0);
  });
});

describe("curated answers in the answer path", () => {
  let curatedId = "";

  it("answers a close rewording with the curated text on the API (JSON and SSE), and counts the hits", async () => {
    const created = await createCurated({ question: "How do I reset my password?", answer: CURATED_TEXT });
    expect(created.statusCode).toBe(201);
    curatedId = created.json().id;
    expect(created.json()).toMatchObject({ enabled: true, hitCount: 0, embeddingModel: "local:lexical-hash-v1" });

    const json = await askApi(PARAPHRASE);
    expect(json.answer).toBe(CURATED_TEXT);
    expect(json.curated).toEqual({ id: curatedId, question: "How do I reset my password?" });
    const [stored] = await db.db.select().from(s.messages).where(eq(s.messages.id, json.messageId));
    expect(stored!.content).toBe(CURATED_TEXT);
    expect(stored!.metadata).toMatchObject({ model: "curated", curated: { id: curatedId } });
    const [log] = await db.db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.messageId, json.messageId));
    expect(log!.curatedAnswerId).toBe(curatedId);

    const sse = await app.inject({ method: "POST", url: `${base}/chat`, headers: auth, payload: { message: "how do i reset my password", stream: true } });
    const events = parseSse(sse.body);
    const tokens = events.filter((e) => e.event === "token").map((e) => (e.data as { text: string }).text).join("");
    const done = events.find((e) => e.event === "done")!.data as { answer: string; curated: { id: string } };
    expect(tokens).toBe(CURATED_TEXT);
    expect(done.curated.id).toBe(curatedId);

    const row = await app.inject({ method: "GET", url: `${base}/curated-answers/${curatedId}`, headers: auth });
    expect(row.json().hitCount).toBe(2);
    expect(row.json().lastHitAt).not.toBeNull();

    // A curated answer cites no document, yet it is not a question "without a good source".
    const today = new Date().toISOString().slice(0, 10);
    const analytics = await app.inject({ method: "GET", url: `${base}/analytics?from=${today}&to=${today}`, headers: auth });
    expect(analytics.json().totals.queries).toBe(2);
    expect(analytics.json().unanswered).toEqual([]);
  });

  it("answers through the widget (streamed and not) and the OpenAI-compatible endpoint (streamed and not)", async () => {
    const widget = { url: `/v1/widget/${acme.bot.publicId}/chat`, headers: { origin: "https://shop.example" } };
    const streamed = await app.inject({ method: "POST", ...widget, payload: { message: PARAPHRASE } });
    const done = parseSse(streamed.body).find((e) => e.event === "done")!.data as { answer: string; curated: { id: string } };
    expect(done).toMatchObject({ answer: CURATED_TEXT, curated: { id: curatedId } });
    const plain = await app.inject({ method: "POST", ...widget, payload: { message: PARAPHRASE, stream: false } });
    expect(plain.json()).toMatchObject({ answer: CURATED_TEXT, curated: { id: curatedId } });

    const completion = await app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: auth,
      payload: { model: acme.bot.id, messages: [{ role: "user", content: PARAPHRASE }] },
    });
    expect(completion.statusCode).toBe(200);
    expect(completion.json().choices[0].message.content).toBe(CURATED_TEXT);
    expect(completion.json().docent.curated).toEqual({ id: curatedId, question: "How do I reset my password?" });

    const chunks = await app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: auth,
      payload: { model: acme.bot.id, stream: true, messages: [{ role: "user", content: PARAPHRASE }] },
    });
    const datas = chunks.body
      .split("\n\n")
      .map((b) => b.replace(/^data: /, "").trim())
      .filter((d) => d && d !== "[DONE]")
      .map((d) => JSON.parse(d) as { choices: { delta: { content?: string } }[]; docent?: { curated: { id: string } } });
    expect(datas.map((d) => d.choices[0]?.delta.content ?? "").join("")).toBe(CURATED_TEXT);
    expect(datas.find((d) => d.docent)!.docent!.curated.id).toBe(curatedId);

    const row = await app.inject({ method: "GET", url: `${base}/curated-answers/${curatedId}`, headers: auth });
    expect(row.json().hitCount).toBe(6);
  });

  it("leaves unrelated questions to retrieval", async () => {
    const answer = await askApi("How long do refunds take after a return?");
    expect(answer.curated).toBeNull();
    expect(answer.answer).not.toBe(CURATED_TEXT);
    expect(answer.answer).toContain("five business days");
  });

  it("skips a disabled curated answer, uses it again once enabled, re-embeds an edited question", async () => {
    const off = await app.inject({ method: "PATCH", url: `${base}/curated-answers/${curatedId}`, headers: auth, payload: { enabled: false } });
    expect(off.json().enabled).toBe(false);
    expect((await askApi(PARAPHRASE)).curated).toBeNull();

    await app.inject({ method: "PATCH", url: `${base}/curated-answers/${curatedId}`, headers: auth, payload: { enabled: true } });
    expect((await askApi(PARAPHRASE)).curated?.id).toBe(curatedId);

    // A new question: the old wording no longer matches, the new one does.
    const edited = await app.inject({
      method: "PATCH",
      url: `${base}/curated-answers/${curatedId}`,
      headers: auth,
      payload: { question: "Which payment cards do you accept?" },
    });
    expect(edited.statusCode).toBe(200);
    expect((await askApi(PARAPHRASE)).curated).toBeNull();
    expect((await askApi("Which cards do you accept for payment?")).curated?.id).toBe(curatedId);

    const list = await app.inject({ method: "GET", url: `${base}/curated-answers?limit=1&offset=0`, headers: auth });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: curatedId, question: "Which payment cards do you accept?" }] });
    const gone = await app.inject({ method: "DELETE", url: `${base}/curated-answers/${curatedId}`, headers: auth });
    expect(gone.statusCode).toBe(204);
    expect((await askApi("Which payment cards do you accept?")).curated).toBeNull();
    const again = await app.inject({ method: "DELETE", url: `${base}/curated-answers/${curatedId}`, headers: auth });
    expect(again.statusCode).toBe(404);
  });
});

describe("unanswered-questions inbox", () => {
  it("groups refused, sourceless and rated-down questions by similarity; handled ones leave", async () => {
    const inboxBot = await createWorkspaceWithBot(db.db, { name: "Inbox bot" });
    await addDocument(db.db, embedder, inboxBot.bot, "returns.md", [
      "Returns are free within thirty days of delivery; refunds reach your card within five business days.",
    ]);
    const inboxKey = await createTestApiKey(db.db, inboxBot.workspace.id, { scopes: ["chat", "bots:read", "bots:write", "analytics:read"] });
    const h = { authorization: `Bearer ${inboxKey}` };
    const url = `/v1/bots/${inboxBot.bot.id}`;
    const ask = async (message: string) => {
      const res = await app.inject({ method: "POST", url: `${url}/chat`, headers: h, payload: { message } });
      return res.json() as { messageId: string; refused: boolean };
    };
    // Known grouping: password (3), Canada (2), opening hours (1), and an answered question rated 1 star (1).
    for (const q of ["How do I reset my password?", "I forgot my password, how do I reset it?", "how do i reset my password"]) {
      expect((await ask(q)).refused).toBe(true);
    }
    for (const q of ["Do you ship to Canada?", "Can you ship my order to Canada?"]) expect((await ask(q)).refused).toBe(true);
    expect((await ask("What are your opening hours?")).refused).toBe(true);
    const answered = await ask("How long do refunds take after a return?");
    expect(answered.refused).toBe(false);
    const ok = await ask("Are returns free?");
    expect(ok.refused).toBe(false);
    const rate = (messageId: string, payload: object) =>
      app.inject({ method: "POST", url: `/v1/messages/${messageId}/feedback`, headers: h, payload });
    expect((await rate(answered.messageId, { stars: 1, comment: "Too slow" })).statusCode).toBe(200);
    expect((await rate(ok.messageId, { stars: 5 })).statusCode).toBe(200);

    const today = new Date().toISOString().slice(0, 10);
    const inbox = async () => {
      const res = await app.inject({ method: "GET", url: `${url}/inbox?from=${today}&to=${today}`, headers: h });
      expect(res.statusCode).toBe(200);
      return res.json() as { groups: { queryLogIds: string[]; count: number; examples: string[]; reasons: string[] }[]; questions: number };
    };
    const first = await inbox();
    expect(first.questions).toBe(7);
    const sets = first.groups.map((g) => g.examples.map((e) => e.toLowerCase()).sort());
    expect(sets).toHaveLength(4);
    expect(first.groups.map((g) => g.count)).toEqual([3, 2, 1, 1]);
    expect(sets[0]).toEqual(["how do i reset my password", "how do i reset my password?", "i forgot my password, how do i reset it?"]);
    expect(sets[1]).toEqual(["can you ship my order to canada?", "do you ship to canada?"]);
    const rated = first.groups.find((g) => g.examples[0] === "How long do refunds take after a return?")!;
    expect(rated.reasons).toEqual(["rated_down"]);
    expect(first.groups[0]!.reasons).toContain("refused");

    // "Add curated answer" from the password group handles it; "mark handled" the Canada group.
    const created = await app.inject({
      method: "POST",
      url: `${url}/curated-answers`,
      headers: h,
      payload: { question: first.groups[0]!.examples[0], answer: CURATED_TEXT, handlesQueryLogIds: first.groups[0]!.queryLogIds },
    });
    expect(created.json().handledQuestions).toBe(3);
    const handled = await app.inject({
      method: "POST",
      url: `${url}/inbox/handled`,
      headers: h,
      payload: { queryLogIds: first.groups[1]!.queryLogIds },
    });
    expect(handled.json()).toEqual({ handled: 2 });
    const second = await inbox();
    expect(second.groups.map((g) => g.examples[0]).sort()).toEqual(["How long do refunds take after a return?", "What are your opening hours?"]);

    const bad = await app.inject({ method: "GET", url: `${url}/inbox?from=${today}&to=${today}&similarity=1.5`, headers: h });
    expect(bad.statusCode).toBe(400);
  });
});

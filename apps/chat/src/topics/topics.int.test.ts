/**
 * Topics on real Postgres with the offline embedder (lexical: texts sharing words are
 * close), on a fixed set of questions whose grouping it can see: billing (refund,
 * invoice), router (reset, password), parcel delivery, and two unrelated questions.
 * Asked through the chat endpoint, each question gets the topic whose centroid is nearest
 * above the threshold; the unassigned ones are clustered into suggestions, and creating
 * the suggested topic re-assigns the questions already asked.
 */
import { analyticsQueryLogs } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApiKey, useChatTestApp } from "../../test-support/app";
import { createWorkspaceWithBot } from "../../test-support/fixtures";

const { db, app } = await useChatTestApp();
const acme = await createWorkspaceWithBot(db.db, { name: "Acme" });
const adminKey = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat", "analytics:read", "bots:read", "bots:write"] });
const readerKey = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat", "analytics:read"] });
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const url = (path = "") => `/v1/bots/${acme.bot.id}/topics${path}`;

const billing = {
  name: "Billing",
  color: "#1A7F5A",
  description: "Billing questions: refunds, invoices and charges",
  examples: ["How do I get a refund for my invoice?", "Refund for a duplicate invoice charge", "I was charged twice, I want a refund"],
};
const router = {
  name: "Router",
  color: "#2563eb",
  description: "Router setup and password reset",
  examples: ["How do I reset the router password?", "Router password reset does not work"],
};
const questions = {
  billing: ["Can I get a refund on this invoice?", "Invoice refund for a double charge"],
  router: ["My router password reset failed", "How to reset router password"],
  parcel: ["When will my parcel delivery arrive?", "Track my parcel delivery status", "My parcel delivery is late"],
  other: ["What is the capital of Mongolia?", "Who painted the Mona Lisa?"],
};

async function ask(message: string) {
  const res = await app.inject({ method: "POST", url: `/v1/bots/${acme.bot.id}/chat`, headers: auth(adminKey), payload: { message } });
  expect(res.statusCode).toBe(200);
  return res.json() as { messageId: string };
}

async function topicOf(question: string): Promise<string | null> {
  const rows = await db.db
    .select({ topicId: analyticsQueryLogs.topicId })
    .from(analyticsQueryLogs)
    .where(eq(analyticsQueryLogs.queryText, question));
  expect(rows).toHaveLength(1);
  return rows[0]!.topicId;
}

let billingId: string;
let routerId: string;

beforeAll(async () => {
  const b = await app.inject({ method: "POST", url: url(), headers: auth(adminKey), payload: billing });
  expect(b.statusCode).toBe(201);
  billingId = b.json().topic.id;
  expect(b.json().topic.color).toBe("#1a7f5a");
  const r = await app.inject({ method: "POST", url: url(), headers: auth(adminKey), payload: router });
  expect(r.statusCode).toBe(201);
  routerId = r.json().topic.id;
  for (const q of Object.values(questions).flat()) await ask(q);
});

describe("topic assignment", () => {
  it("gives each question the nearest topic above the threshold, and none to the rest", async () => {
    for (const q of questions.billing) expect(await topicOf(q)).toBe(billingId);
    for (const q of questions.router) expect(await topicOf(q)).toBe(routerId);
    for (const q of [...questions.parcel, ...questions.other]) expect(await topicOf(q)).toBeNull();
  });

  it("stores the embedding retrieval computed, so nothing is embedded twice", async () => {
    const [row] = await db.db
      .select({ model: analyticsQueryLogs.questionEmbeddingModel, embedding: analyticsQueryLogs.questionEmbedding })
      .from(analyticsQueryLogs)
      .where(eq(analyticsQueryLogs.queryText, questions.router[0]!));
    expect(row?.model).toBe("local:lexical-hash-v1");
    expect(row?.embedding).toHaveLength(768);
  });

  it("re-assigns recent questions when the threshold changes", async () => {
    const high = await app.inject({ method: "PUT", url: `/v1/bots/${acme.bot.id}/topic-settings`, headers: auth(adminKey), payload: { threshold: 0.99 } });
    expect(high.statusCode).toBe(200);
    expect(high.json().reassigned).toBe(9);
    expect(await topicOf(questions.billing[0]!)).toBeNull();
    const back = await app.inject({ method: "PUT", url: `/v1/bots/${acme.bot.id}/topic-settings`, headers: auth(adminKey), payload: { threshold: 0.35 } });
    expect(back.statusCode).toBe(200);
    expect(await topicOf(questions.billing[0]!)).toBe(billingId);
  });
});

describe("topic assignment on a keyword-only bot", () => {
  it("embeds the question once for its topic, since retrieval embedded nothing", async () => {
    const kw = await createWorkspaceWithBot(db.db, { ragConfig: { retrievalMode: "keyword" } });
    const kwKey = await createTestApiKey(db.db, kw.workspace.id, { scopes: ["chat", "analytics:read", "bots:write"] });
    const created = await app.inject({ method: "POST", url: `/v1/bots/${kw.bot.id}/topics`, headers: auth(kwKey), payload: router });
    expect(created.statusCode).toBe(201);
    const res = await app.inject({ method: "POST", url: `/v1/bots/${kw.bot.id}/chat`, headers: auth(kwKey), payload: { message: "Router password reset help" } });
    expect(res.statusCode).toBe(200);
    expect(await topicOf("Router password reset help")).toBe(created.json().topic.id);
  });
});

describe("suggested topics", () => {
  it("clusters the unassigned questions, with top terms and examples, and one click creates the topic", async () => {
    const res = await app.inject({ method: "GET", url: url("/suggestions?days=7"), headers: auth(readerKey) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.considered).toBe(5);
    expect(body.suggestions).toHaveLength(1);
    const [parcel] = body.suggestions;
    expect(parcel.size).toBe(3);
    expect(parcel.terms.slice(0, 2).sort()).toEqual(["delivery", "parcel"]);
    expect([...parcel.examples].sort()).toEqual([...questions.parcel].sort());

    const created = await app.inject({ method: "POST", url: url(), headers: auth(adminKey), payload: parcel.proposal });
    expect(created.statusCode).toBe(201);
    const parcelId = created.json().topic.id;
    for (const q of questions.parcel) expect(await topicOf(q)).toBe(parcelId);
    for (const q of questions.other) expect(await topicOf(q)).toBeNull();
    expect((await app.inject({ method: "GET", url: url("/suggestions"), headers: auth(readerKey) })).json().suggestions).toEqual([]);
  });
});

describe("topic validation", () => {
  const post = (payload: object, key = adminKey) => app.inject({ method: "POST", url: url(), headers: auth(key), payload });

  it("answers 400 for a bad colour, a long name, too many examples or an empty topic, and 409 for a taken name", async () => {
    const before = (await app.inject({ method: "GET", url: url(), headers: auth(readerKey) })).json().items.length;
    const bad = [
      { ...router, name: "X", color: "green" },
      { ...router, name: "x".repeat(81) },
      { ...router, name: "Many", examples: Array.from({ length: 21 }, (_, i) => `question ${i}`) },
      { name: "Empty", color: "#000000" },
    ];
    for (const payload of bad) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(res.json().error).toBe("VALIDATION_FAILED");
    }
    const dup = await post({ ...router, name: "billing" });
    expect(dup.statusCode).toBe(409);
    const threshold = await app.inject({ method: "PUT", url: `/v1/bots/${acme.bot.id}/topic-settings`, headers: auth(adminKey), payload: { threshold: 1.5 } });
    expect(threshold.statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: url(), headers: auth(readerKey) })).json().items.length).toBe(before);
  });

  it("lets only admins (bots:write) change topics", async () => {
    const res = await post({ ...router, name: "Reader's" }, readerKey);
    expect(res.statusCode).toBe(403);
  });

  it("edits a topic: name, colour, examples; a taken name is refused", async () => {
    const res = await app.inject({ method: "PUT", url: url(`/${routerId}`), headers: auth(adminKey), payload: { ...router, name: "Networking", color: "#ff0000" } });
    expect(res.statusCode).toBe(200);
    expect(res.json().topic).toMatchObject({ name: "Networking", color: "#ff0000" });
    expect(await topicOf(questions.router[0]!)).toBe(routerId);
    const taken = await app.inject({ method: "PUT", url: url(`/${routerId}`), headers: auth(adminKey), payload: { ...router, name: "Billing" } });
    expect(taken.statusCode).toBe(409);
  });
});

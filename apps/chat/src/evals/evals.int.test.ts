/**
 * Evaluation sets through the chat service's HTTP API, runs on a real BullMQ queue
 * consumed in-process, on real Postgres: typed, imported (CSV, JSON), from a conversation
 * and generated questions; metrics per setting, misses, the best setting; and the bad
 * inputs (a deleted document, an empty set, a bot without documents, other tenants)
 * answered with readable errors, a failed run leaving earlier results as they were.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createEvalQueue, enqueueEvalRun } from "@docent/queue/evals";
import { createEvalRun } from "@docent/db/queries/evals";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createBot } from "@docent/testing/factories";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const embedder = createLocalEmbedder();
const evalQueue = createEvalQueue({ connection: redis.client, prefix: redis.prefix });
const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
const app = await buildTestApp(db, redis, {}, { evalQueue, evalWorker: { connection: workerConnection, prefix: redis.prefix, concurrency: 1 } });
afterAll(async () => {
  await app.close();
  await evalQueue.close();
  workerConnection.disconnect();
});

const acme = await createWorkspaceWithBot(db.db, { name: "Acme" });
const { document: manual, chunkIds: manualChunks } = await addDocument(db.db, embedder, acme.bot, "router-manual.md", [
  { text: "To reset the X200 router, hold the recessed reset button for ten seconds until the light blinks amber.", headingPath: ["Troubleshooting", "Reset"] },
  { text: "The X200 router supports WPA3 encryption and up to 64 connected devices.", headingPath: ["Specifications"] },
  { text: "Firmware updates install overnight between two and four in the morning.", headingPath: ["Updates"] },
]);
const { document: warranty } = await addDocument(db.db, embedder, acme.bot, "warranty.txt", [
  "Every Acme router carries a three-year warranty covering hardware defects.",
  "Water damage and dropped devices are not covered by the warranty.",
]);
const key = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat", "bots:read", "bots:write", "analytics:read"] });
const chatOnlyKey = await createTestApiKey(db.db, acme.workspace.id, { scopes: ["chat"] });
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
const { document: globexDoc } = await addDocument(db.db, embedder, globex.bot, "globex.txt", ["Globex sells turbines."]);
const globexKey = await createTestApiKey(db.db, globex.workspace.id, { scopes: ["chat", "bots:read", "bots:write"] });

const base = `/v1/bots/${acme.bot.id}`;
const call = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown, k = key) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${k}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

type Run = {
  id: string;
  status: string;
  error: string | null;
  results: { label: string; judged: number; unjudged: number; metrics: { recall: Record<string, number>; mrr: number; ndcg10: number } }[] | null;
  best: { index: number; label: string; ragConfigPatch: Record<string, unknown> } | null;
};

function waitForRun(runId: string, botPath = base): Promise<Run> {
  return vi.waitFor(
    async () => {
      const run = (await call("GET", `${botPath}/eval-runs/${runId}`)).json<Run>();
      if (run.status === "SUCCEEDED" || run.status === "FAILED") return run;
      throw new Error(`run ${runId} still ${run.status}`);
    },
    { timeout: 30_000, interval: 100 },
  );
}

async function newSet(name: string, questions?: unknown[]) {
  const res = await call("POST", `${base}/eval-sets`, { name, ...(questions ? { questions } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; questionCount: number }>();
}

describe("evaluation sets", () => {
  it("scores typed questions in every mode, with the misses and the best setting", async () => {
    const set = await newSet("Router basics", [
      { question: "How do I reset the router?", expected: [{ documentId: manual.id, text: "hold the recessed reset button for ten seconds" }] },
      { question: "How long is the warranty?", expected: [{ document: "warranty.txt" }] },
      { question: "When are firmware updates installed?", expected: [{ documentId: manual.id, chunkId: manualChunks[2] }] },
      { question: "Is water damage covered?", expected: [{ documentId: warranty.id, text: "Water damage and dropped devices" }] },
      { question: "Which colour is the case?", expected: [{ documentId: manual.id, text: "WPA3 encryption" }] },
    ]);
    expect(set.questionCount).toBe(5);

    const started = await call("POST", `${base}/eval-sets/${set.id}/runs`, {});
    expect(started.statusCode, started.body).toBe(202);
    const run = await waitForRun(started.json<Run>().id);
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    expect(run.results!.map((r) => r.label)).toEqual(["vector", "keyword", "hybrid 0.01/1"]);
    const keyword = run.results![1]!;
    expect(keyword.judged).toBe(5);
    // Four questions share words with their passage; the colour question does not.
    expect(keyword.metrics.recall["10"]).toBeGreaterThanOrEqual(0.8);
    expect(keyword.metrics.recall["1"]).toBeGreaterThanOrEqual(0.6);
    expect(keyword.metrics.mrr).toBeGreaterThan(0.6);
    expect(run.best!.ragConfigPatch).toHaveProperty("retrievalMode");

    const misses = (await call("GET", `${base}/eval-runs/${run.id}/misses?config=1`)).json<{ items: { question: string; retrieved: unknown[] }[] }>();
    for (const miss of misses.items) expect(miss.retrieved.length).toBeGreaterThanOrEqual(0);
    const list = (await call("GET", `${base}/eval-sets`)).json<{ items: { id: string; latestRun: { status: string } }[] }>();
    expect(list.items.find((i) => i.id === set.id)!.latestRun.status).toBe("SUCCEEDED");
  });

  it("finds an expected passage across line breaks and no-break spaces", async () => {
    const { document: pdf } = await addDocument(db.db, embedder, acme.bot, "datasheet.pdf", ["Operating temperature:\u00a00 to 40\u00a0°C,\nhumidity up to 90 %."]);
    const set = await newSet("Spaces", [{ question: "What operating temperature does the router tolerate?", expected: [{ documentId: pdf.id, text: "Operating temperature: 0 to 40 °C, humidity" }] }]);
    const run = await waitForRun((await call("POST", `${base}/eval-sets/${set.id}/runs`, { configs: [{ mode: "keyword" }] })).json<Run>().id);
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    expect(run.results![0]).toMatchObject({ judged: 1, unjudged: 0 });
    await db.db.delete(s.botDocuments).where((await import("drizzle-orm")).eq(s.botDocuments.id, pdf.id));
  });

  it("imports CSV and JSON, naming every problem in a bad import", async () => {
    const set = await newSet("Imported");
    const csv = [
      "question,document,passage",
      '"How do I reset the router?",router-manual.md,"hold the recessed reset button"',
      "How many devices can connect?,router-manual.md,up to 64 connected devices",
    ].join("\n");
    const ok = await call("POST", `${base}/eval-sets/${set.id}/import`, { format: "csv", content: csv });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ imported: 2 });
    const json = JSON.stringify([{ question: "What does the warranty cover?", expected: [{ documentId: warranty.id }] }]);
    expect((await call("POST", `${base}/eval-sets/${set.id}/import`, { format: "json", content: json })).json()).toEqual({ imported: 1 });

    const bad = await call("POST", `${base}/eval-sets/${set.id}/import`, {
      format: "csv",
      content: `question,document_id\nOne?,${globexDoc.id}\n,${manual.id}\nThree?,not-an-id`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/question 2: question: must not be empty/);
    expect(bad.json().message).toMatch(/question 3: documentId: "not-an-id" is not a document id/);
    const foreign = await call("POST", `${base}/eval-sets/${set.id}/import`, { format: "csv", content: `question,document_id\nOne?,${globexDoc.id}` });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().message).toMatch(/is not a document of this bot/);
    const noHeader = await call("POST", `${base}/eval-sets/${set.id}/import`, { format: "csv", content: "a,b\n1,2" });
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().message).toMatch(/"question" column/);
    const notJson = await call("POST", `${base}/eval-sets/${set.id}/import`, { format: "json", content: "{nope" });
    expect(notJson.json().message).toMatch(/not valid JSON/);
    // Nothing of the bad imports was stored.
    expect((await call("GET", `${base}/eval-sets/${set.id}`)).json().questionCount).toBe(3);
  });

  it("turns a thumbs-down answer into a test case with the right source", async () => {
    const set = await newSet("From feedback");
    const asked = await call("POST", `${base}/chat`, { message: "Does the warranty cover a dropped router?" });
    expect(asked.statusCode).toBe(200);
    const messageId = asked.json<{ messageId: string }>().messageId;
    await call("POST", `/v1/messages/${messageId}/feedback`, { rating: -1, comment: "wrong source" });
    const res = await call("POST", `${base}/eval-sets/${set.id}/from-conversation`, {
      messageId,
      expected: [{ documentId: warranty.id, text: "Water damage and dropped devices are not covered" }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ question: "Does the warranty cover a dropped router?", source: "CONVERSATION", sourceMessageId: messageId, synthetic: false });
    const other = await call("POST", `${base}/eval-sets/${set.id}/from-conversation`, { messageId: manual.id, expected: [{ documentId: warranty.id }] });
    expect(other.statusCode).toBe(404);
  });

  it("generates synthetic questions from the documents, which a run scores", async () => {
    const set = await newSet("Generated");
    const res = await call("POST", `${base}/eval-sets/${set.id}/generate`, { count: 4 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ generated: 4, synthetic: true, withModel: false });
    const detail = (await call("GET", `${base}/eval-sets/${set.id}`)).json<{ questions: { question: string; synthetic: boolean; source: string }[] }>();
    expect(detail.questions.every((q) => q.synthetic && q.source === "GENERATED")).toBe(true);
    const run = await waitForRun((await call("POST", `${base}/eval-sets/${set.id}/runs`, { configs: [{ mode: "keyword" }] })).json<Run>().id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.results![0]!.metrics.recall["10"]).toBeGreaterThan(0.5);
  });

  it("refuses to run an empty set, a bot without documents and a set naming a deleted document", async () => {
    const empty = await newSet("Empty");
    const res = await call("POST", `${base}/eval-sets/${empty.id}/runs`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: "EVAL_SET_EMPTY", message: expect.stringMatching(/no questions/) });

    const bare = await createBot(db.db, { workspaceId: acme.workspace.id, name: "No documents" });
    const bareSet = await call("POST", `/v1/bots/${bare.id}/eval-sets`, { name: "Nothing to find" });
    const { document: temp } = await addDocument(db.db, embedder, bare, "temp.txt", ["Temporary text."]);
    await call("POST", `/v1/bots/${bare.id}/eval-sets/${bareSet.json().id}/questions`, { questions: [{ question: "Temporary?", expected: [{ documentId: temp.id }] }] });
    await db.db.delete(s.botDocuments).where((await import("drizzle-orm")).eq(s.botDocuments.id, temp.id));
    const noDocs = await call("POST", `/v1/bots/${bare.id}/eval-sets/${bareSet.json().id}/runs`, {});
    expect(noDocs.statusCode).toBe(409);
    expect(noDocs.json().message).toMatch(/no longer exist|no processed documents/);

    // A set that ran fine, then one of its documents is deleted.
    const { document: doomed } = await addDocument(db.db, embedder, acme.bot, "faq.txt", ["The X200 case is matte black aluminium."]);
    const set = await newSet("Will go stale", [{ question: "What colour is the X200 case?", expected: [{ documentId: doomed.id }] }]);
    const first = await waitForRun((await call("POST", `${base}/eval-sets/${set.id}/runs`, { configs: [{ mode: "keyword" }] })).json<Run>().id);
    expect(first.status).toBe("SUCCEEDED");
    await db.db.insert(s.botDocumentDeletions).values({ documentId: doomed.id, botId: acme.bot.id });
    const refused = await call("POST", `${base}/eval-sets/${set.id}/runs`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: "EVAL_SET_STALE", message: expect.stringMatching(/What colour is the X200 case\?.*no longer exist|no longer exist.*What colour/) });

    // A run queued before the deletion (the route's check passed) fails when it starts,
    // with the same reason, and the earlier run keeps its results.
    const queued = await createEvalRun(db.db, { setId: set.id, botId: acme.bot.id, configs: [{ mode: "keyword" }], questionCount: 1, createdBy: null });
    await enqueueEvalRun(evalQueue, { runId: queued.id, botId: acme.bot.id });
    const failed = await waitForRun(queued.id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/no longer exist in this bot/);
    const history = (await call("GET", `${base}/eval-sets/${set.id}/runs`)).json<{ items: Run[] }>().items;
    expect(history.map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(history[1]!.results![0]!.metrics.recall["1"]).toBe(1);
  });

  it("keeps sets to their workspace and needs bots:write to change them", async () => {
    const set = await newSet("Private");
    expect((await call("GET", `${base}/eval-sets/${set.id}`, undefined, globexKey)).statusCode).toBe(404);
    expect((await call("GET", `/v1/bots/${globex.bot.id}/eval-sets/${set.id}`, undefined, globexKey)).statusCode).toBe(404);
    const denied = await call("POST", `${base}/eval-sets`, { name: "x" }, chatOnlyKey);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/bots:write/);
    const cross = await call("POST", `${base}/eval-sets/${set.id}/questions`, { questions: [{ question: "Turbines?", expected: [{ documentId: globexDoc.id }] }] });
    expect(cross.statusCode).toBe(400);
  });
});

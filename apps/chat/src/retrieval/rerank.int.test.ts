/**
 * Reranking against a local server speaking the real `/rerank` protocols (TEI and the
 * Cohere/Jina/vLLM shape): a workspace's reranker (sealed key, guarded fetch) and the
 * platform's (env), applied to the top N of the bot's mode; and every way it can fail
 * (timeout, HTTP error, unusable answer, fewer or unknown indices, a refused address)
 * keeping the mode's order, reported in the response and never failing the request.
 */
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import * as s from "@docent/db/schema";
import { byokAad } from "@docent/service-kit/crypto/secrets";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, testKeyRing, useChatTestServices } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { startTestRerankServer, wordShareScorer } from "../../test-support/rerank-server";

const { db, redis, embedder } = await useChatTestServices();
const { keyRing, box } = testKeyRing();
const reranker = await startTestRerankServer();
const privateOk = await buildTestApp(db, redis, { DOCENT_ENCRYPTION_KEYS: keyRing, ALLOW_PRIVATE_MODEL_URLS: "true", RERANK_TIMEOUT_MS: "400" });
const strict = await buildTestApp(db, redis, { DOCENT_ENCRYPTION_KEYS: keyRing });
/** A responder that cites its first source, so an answer shows which passage came first. */
const firstSourceResponder = async () => ({
  provider: "openai_compatible" as const,
  model: "first-source",
  extractive: false,
  async generate(_request: unknown, onToken: (t: string) => void) {
    onToken("See the first source [1].");
    return { text: "See the first source [1].", inputTokens: 1, outputTokens: 1 };
  },
});
const answering = await buildTestApp(db, redis, { ALLOW_PRIVATE_MODEL_URLS: "true" }, { responderFor: firstSourceResponder });
const platform = await buildTestApp(db, redis, { RERANK_PROVIDER: "tei", RERANK_URL: `${reranker.url}/rerank`, RERANK_MODEL: "bge-reranker-base" });
afterAll(async () => {
  await Promise.all([privateOk.close(), strict.close(), platform.close(), answering.close()]);
  await reranker.close();
});
beforeEach(async () => {
  reranker.requests.length = 0;
  reranker.fault(null);
  reranker.setScorer(wordShareScorer);
  await redis.flush();
});

/** Three passages that all match the question. */
const passages = [
  "Router reset: the reset procedure for the router resets the router. Router reset router reset.",
  "Light codes: a blinking light means the router is updating; a steady light means ready.",
  "To reset the router, hold the reset button for ten seconds until the light blinks amber, then release it.",
];
const question = "how do I reset the router until the light blinks amber";

async function botWithRerank(settings: Parameters<typeof upsertTenantSettings>[2] | null, rerank = { enabled: true, topN: 10 }) {
  const { workspace, bot } = await createWorkspaceWithBot(db.db, { ragConfig: { retrievalMode: "keyword", topK: 3, rerank } });
  const { chunkIds } = await addDocument(db.db, embedder, bot, "manual.txt", passages);
  if (settings) await upsertTenantSettings(db.db, workspace.id, settings);
  return { workspace, bot, chunkIds, key: await createTestApiKey(db.db, workspace.id) };
}

/**
 * Makes the reranker rank the mode's order backwards (0.9, 0.5, 0.1 from the mode's last),
 * so its effect is visible; returns the mode's order of chunk ids.
 */
async function invertModeOrder(app: typeof privateOk, botId: string, key: string, chunkIds: string[]) {
  const modeOrder = (await retrieve(app, botId, key, { rerank: false })).chunks.map((c) => c.chunkId);
  const scores = [0.1, 0.5, 0.9];
  reranker.setScorer((_q, document) => scores[modeOrder.indexOf(chunkIds[passages.indexOf(document)]!)] ?? 0);
  reranker.requests.length = 0;
  return modeOrder;
}

type Retrieved = {
  chunks: { chunkId: string; rank: number; score: number; rerank?: { rank: number; score: number } }[];
  rerank: { status: string; reranker: string | null; candidates: number; scored: number; ignored: number; error?: string };
  timingsMs: { rerank: number };
};

async function retrieve(app: typeof privateOk, botId: string, key: string, body: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: "POST",
    url: `/v1/bots/${botId}/retrieve`,
    headers: { authorization: `Bearer ${key}` },
    payload: { query: question, ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Retrieved>();
}

const cohereSettings = () => ({
  rerankProvider: "cohere" as const,
  rerankUrl: `${reranker.url}/v1/rerank`,
  rerankModel: "rerank-v3.5",
});

describe("reranking", () => {
  it("reorders the mode's top N with the workspace's reranker (Cohere shape, sealed key)", async () => {
    const { workspace, bot, chunkIds, key } = await botWithRerank(cohereSettings());
    await upsertTenantSettings(db.db, workspace.id, {
      rerankApiKeyCiphertext: box.seal("rr-secret-key-123", byokAad(workspace.id, "rerank")),
      rerankApiKeyHint: "rr-...123",
    });
    const plain = await retrieve(privateOk, bot.id, key, { rerank: false });
    expect(plain.rerank.status).toBe("off");
    const modeOrder = await invertModeOrder(privateOk, bot.id, key, chunkIds);
    expect(plain.chunks.map((c) => c.chunkId)).toEqual(modeOrder);

    const ranked = await retrieve(privateOk, bot.id, key);
    expect(ranked.rerank).toMatchObject({ status: "applied", reranker: "cohere:rerank-v3.5", candidates: 3, scored: 3, ignored: 0 });
    expect(ranked.chunks.map((c) => c.chunkId)).toEqual([...modeOrder].reverse());
    expect(ranked.chunks[0]!.rerank).toEqual({ rank: 1, score: 0.9 });
    expect(ranked.chunks.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(ranked.timingsMs.rerank).toBeGreaterThan(0);

    const [sent] = reranker.requests;
    expect(sent!.path).toBe("/v1/rerank");
    expect(sent!.authorization).toBe("Bearer rr-secret-key-123");
    expect(sent!.body).toMatchObject({ model: "rerank-v3.5", query: question, top_n: 3 });
    expect(sent!.body.documents).toHaveLength(3);
  });

  it("sends the top N and keeps top-k; the answer reads the reranked passages", async () => {
    const { bot, chunkIds, key } = await botWithRerank(cohereSettings(), { enabled: true, topN: 3 });
    const modeOrder = await invertModeOrder(privateOk, bot.id, key, chunkIds);
    await db.db.update(s.bots).set({ ragConfig: { ...bot.ragConfig, topK: 1, rerank: { enabled: true, topN: 3 } } }).where(eq(s.bots.id, bot.id));
    const ranked = await retrieve(privateOk, bot.id, key);
    expect(reranker.requests[0]!.body.documents).toHaveLength(3);
    expect(ranked.chunks.map((c) => c.chunkId)).toEqual([modeOrder[2]]);

    await db.db.update(s.bots).set({ modelSettings: { ...bot.modelSettings, strict: false } }).where(eq(s.bots.id, bot.id));
    const ask = async () => {
      const res = await answering.inject({
        method: "POST",
        url: `/v1/bots/${bot.id}/chat`,
        headers: { authorization: `Bearer ${key}` },
        payload: { message: question },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ citations: { chunkId: string }[] }>().citations[0]!.chunkId;
    };
    expect(await ask()).toBe(modeOrder[2]);
    reranker.fault({ kind: "status", status: 500 });
    expect(await ask()).toBe(modeOrder[0]);
  });

  it("uses the platform's reranker (TEI shape) when the workspace has none", async () => {
    const { bot, chunkIds, key } = await botWithRerank(null);
    const modeOrder = await invertModeOrder(platform, bot.id, key, chunkIds);
    const ranked = await retrieve(platform, bot.id, key);
    expect(ranked.rerank).toMatchObject({ status: "applied", reranker: "tei:bge-reranker-base" });
    expect(ranked.chunks.map((c) => c.chunkId)).toEqual([...modeOrder].reverse());
    expect(reranker.requests[0]!.path).toBe("/rerank");
    expect(reranker.requests[0]!.body.texts).toHaveLength(3);
    expect(reranker.requests[0]!.authorization).toBeUndefined();

    // Without any reranker the toggle does nothing, and says so.
    expect((await retrieve(strict, bot.id, key)).rerank.status).toBe("unavailable");
  });

  it("keeps the mode's order, and says why, when the reranker times out, fails or answers nonsense", async () => {
    const { bot, chunkIds, key } = await botWithRerank(cohereSettings());
    const modeOrder = await invertModeOrder(privateOk, bot.id, key, chunkIds);
    for (const [fault, message] of [
      [{ kind: "delay", ms: 1_500 }, /did not answer within 400 ms/],
      [{ kind: "status", status: 503 }, /answered HTTP 503/],
      [{ kind: "garbage" }, /neither results/],
    ] as const) {
      reranker.fault(fault);
      const started = Date.now();
      const result = await retrieve(privateOk, bot.id, key);
      expect(result.rerank.status, fault.kind).toBe("failed");
      expect(result.rerank.error).toMatch(message);
      expect(result.chunks.map((c) => c.chunkId)).toEqual(modeOrder);
      expect(result.chunks.every((c) => c.rerank === undefined)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_400);
    }

    // An answer still comes, from the mode's order.
    reranker.fault({ kind: "status", status: 500 });
    const answer = await privateOk.inject({
      method: "POST",
      url: `/v1/bots/${bot.id}/chat`,
      headers: { authorization: `Bearer ${key}` },
      payload: { message: question },
    });
    expect(answer.statusCode).toBe(200);
  });

  it("handles a reranker that returns fewer results or unknown indices", async () => {
    const { bot, chunkIds, key } = await botWithRerank(cohereSettings());
    const modeOrder = await invertModeOrder(privateOk, bot.id, key, chunkIds);
    reranker.fault({ kind: "fewer", keep: 1 });
    const fewer = await retrieve(privateOk, bot.id, key);
    expect(fewer.rerank).toMatchObject({ status: "partial", scored: 1, ignored: 0 });
    // The scored one first, then the rest in the mode's order.
    expect(fewer.chunks.map((c) => c.chunkId)).toEqual([modeOrder[2], modeOrder[0], modeOrder[1]]);
    expect(fewer.chunks[1]!.rerank).toBeUndefined();

    reranker.fault({ kind: "unknown-indices" });
    const unknown = await retrieve(privateOk, bot.id, key);
    expect(unknown.rerank).toMatchObject({ status: "partial", scored: 1, ignored: 3 });
    expect(unknown.chunks).toHaveLength(3);
    expect(unknown.chunks.map((c) => c.chunkId)).toEqual([modeOrder[2], modeOrder[0], modeOrder[1]]);
  });

  it("refuses a workspace reranker on a private address unless ALLOW_PRIVATE_MODEL_URLS, and keeps the mode's order", async () => {
    const { bot, key } = await botWithRerank(cohereSettings());
    const result = await retrieve(strict, bot.id, key);
    expect(result.rerank.status).toBe("failed");
    expect(result.rerank.error).toMatch(/not allowed/);
    expect(reranker.requests).toHaveLength(0);
    expect(result.chunks).toHaveLength(3);
  });
});

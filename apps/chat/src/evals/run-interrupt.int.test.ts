/**
 * A run in progress when its process stops goes back to the queue and is run again, from
 * the start, by the next worker: closing the app (what SIGTERM does) does not wait for the
 * run, leaves it QUEUED with no results, and a second app's worker completes it.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createEvalQueue } from "@docent/queue/evals";
import { getEvalRunById } from "@docent/db/queries/evals";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import type { QueryEmbedder } from "../retrieval/types";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const local = createLocalEmbedder();
/**
 * Each question's embedding takes 20 ms, so a 400-question vector run lasts about 8 s: the
 * pause paces the run (it must still be going when the app closes); it waits for nothing.
 */
const slow: QueryEmbedder = { ...local, embed: async (texts) => (await new Promise((r) => setTimeout(r, 20)), local.embed(texts)) };
const queue = createEvalQueue({ connection: redis.client, prefix: redis.prefix });
const connections: Redis[] = [];
const worker = () => {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connections.push(connection);
  return { connection, prefix: redis.prefix, concurrency: 1 };
};
afterAll(async () => {
  await queue.close();
  for (const c of connections) c.disconnect();
});

const { workspace, bot } = await createWorkspaceWithBot(db.db);
const { document } = await addDocument(db.db, local, bot, "facts.txt", ["The X200 router supports WPA3.", "Returns are free within thirty days."]);
const key = await createTestApiKey(db.db, workspace.id, { scopes: ["bots:read", "bots:write"] });

describe("an evaluation run and shutdown", () => {
  it("hands a run in progress back to the queue on close; the next worker completes it", async () => {
    const first = await buildTestApp(db, redis, { EVAL_RUN_CONCURRENCY: "1" }, { evalQueue: queue, evalWorker: worker(), embedderFor: async () => slow });
    const headers = { authorization: `Bearer ${key}` };
    const questions = Array.from({ length: 400 }, (_, i) => ({ question: `Which encryption does the X200 support? (${i})`, expected: [{ documentId: document.id }] }));
    const set = (await first.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets`, headers, payload: { name: "Long", questions } })).json<{ id: string }>();
    const run = (await first.inject({ method: "POST", url: `/v1/bots/${bot.id}/eval-sets/${set.id}/runs`, headers, payload: { configs: [{ mode: "vector" }] } })).json<{ id: string }>();

    // Wait until it is really running, then stop the app.
    await expect
      .poll(() => getEvalRunById(db.db, run.id), { timeout: 30_000 })
      .toSatisfy((row) => row?.status === "RUNNING" && row.progress >= 50);
    const closing = Date.now();
    await first.close();
    expect(Date.now() - closing).toBeLessThan(3_000);
    const handedBack = await getEvalRunById(db.db, run.id);
    expect(handedBack).toMatchObject({ status: "QUEUED", results: null, progress: 0 });

    const second = await buildTestApp(db, redis, {}, { evalQueue: queue, evalWorker: worker() });
    try {
      await expect
        .poll(async () => (await getEvalRunById(db.db, run.id))?.status, { timeout: 30_000, interval: 100 })
        .toMatch(/^(SUCCEEDED|FAILED)$/);
      const row = await getEvalRunById(db.db, run.id);
      expect(row?.status, row?.error ?? "").toBe("SUCCEEDED");
      expect(row?.results?.[0]?.judged).toBe(400);
    } finally {
      await second.close();
    }
  });
});

/**
 * The chat service as it ships: its compiled start command (the image's CMD runs the same
 * argv) with a model that streams slowly. SIGTERM while an answer is streaming: the
 * stream runs to its `done` event with the whole answer, new requests are turned away,
 * and the process logs its shutdown and exits 0 well within SHUTDOWN_TIMEOUT_MS.
 */
import { fileURLToPath } from "node:url";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { assertBuilt, freePort, spawnService, type ServiceProcess } from "@docent/testing/process";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApiKey, parseSse } from "../test-support/app";
import { addDocument, createWorkspaceWithBot, ensureFreePlan } from "../test-support/fixtures";
import { startTestLlmServer } from "../test-support/llm-server";

const chatDir = fileURLToPath(new URL("..", import.meta.url));
const db = await useTestDatabase();
const redis = useTestRedis();
await ensureFreePlan(db.db);
const llm = await startTestLlmServer({ pieceDelayMs: 60 });
const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
llm.setReply(() => `The warranty lasts three years [1]. ${words}.`);
const { workspace, bot } = await createWorkspaceWithBot(db.db);
await addDocument(db.db, createLocalEmbedder(), bot, "warranty.txt", ["Every router carries a three-year warranty covering hardware defects."]);
const key = await createTestApiKey(db.db, workspace.id);
let service: ServiceProcess | undefined;
beforeAll(() => assertBuilt(chatDir));
afterAll(async () => {
  if (service?.child.exitCode === null) service.child.kill("SIGKILL");
  await llm.close();
});

describe("the chat process", () => {
  it("finishes a streaming answer on SIGTERM, then exits 0", async () => {
    const port = await freePort();
    service = spawnService(chatDir, {
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: "0",
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CHAT_REDIS_PREFIX: redis.prefix,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: "test-key",
      LLM_MODEL: "test-model",
      SHUTDOWN_TIMEOUT_MS: "15000",
    });
    await service.waitForLine(/"msg":"chat service listening"/);
    const base = `http://127.0.0.1:${port}`;

    const streaming = fetch(`${base}/v1/bots/${bot.id}/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "How long is the warranty?", stream: true }),
    });
    const response = await streaming;
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let body = "";
    // Wait for the first tokens, so the answer is really mid-stream when the signal comes.
    while (!body.includes("event: token")) body += decoder.decode((await reader.read()).value);

    const signalled = Date.now();
    service.child.kill("SIGTERM");
    await service.waitForLine(/"msg":"shutting down"/);
    const turnedAway = await fetch(`${base}/healthz`).then(
      (r) => `answered ${r.status}`,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    expect(turnedAway).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|answered 503)$/);

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += decoder.decode(chunk.value);
    const events = parseSse(body);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect((done.data as { answer: string }).answer).toContain("word39");
    expect(Date.now() - signalled).toBeGreaterThan(500); // it really was still streaming

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.some((l) => l.includes('"msg":"shutdown complete"'))).toBe(true);
  });
});

/**
 * The API server (src/server.ts) while PostgreSQL or Redis restarts: requests that need
 * the missing dependency answer 503 with Retry-After in the standard error format,
 * quickly, and the service answers normally as soon as the dependency is back. An upload
 * that fails on the database leaves no stored file behind; while Redis is down documents
 * are still accepted (queued later by the reaper).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { call, callUntil, type Answer } from "./http";
import { startPostgres, startRedis, stopPostgres, stopRedis } from "./own-services";
import { startServer } from "./processes";
import { seedTenant } from "./seed";

const own = inject("ownServices");
const database = await useTestDatabase();
const redis = useTestRedis();
const storageDir = mkdtempSync(join(tmpdir(), "docent-faults-api-"));
afterAll(() => rmSync(storageDir, { recursive: true, force: true }));
const { bot, apiKey } = await seedTenant(database.db);
const api = await startServer("api", {
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  REDIS_KEY_PREFIX: `${redis.prefix}:`,
  QUEUE_PREFIX: redis.prefix,
  STORAGE_DRIVER: "fs",
  STORAGE_DIR: storageDir,
  DATABASE_CONNECT_TIMEOUT_MS: "2000",
});
const auth = { authorization: `Bearer ${apiKey}` };
const listDocuments = () => call(api.url, "GET", `/v1/bots/${bot.id}/documents`, { headers: auth });
const addText = (name: string) =>
  call(api.url, "POST", `/v1/bots/${bot.id}/documents/text`, { headers: auth, body: { name, text: `The ${name} text.` } });
const storedFiles = (): string[] => readdirSync(storageDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

function expectUnavailable(answer: Answer) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("5");
  expect(answer.body).toEqual({
    requestId: answer.headers.get("x-request-id"),
    statusCode: 503,
    error: "SERVICE_UNAVAILABLE",
    message: expect.stringMatching(/temporarily unavailable/),
    details: { retryAfterSeconds: 5 },
  });
  // Within the connect timeout (2 s) and a reconnect wait, never the 11-15 s seen before.
  expect(answer.ms).toBeLessThan(4000);
}

describe("the API while PostgreSQL restarts", () => {
  it("answers 503 with Retry-After during the outage and normally right after", async () => {
    expect((await listDocuments()).status).toBe(200);
    const filesBefore = storedFiles().length;
    await stopPostgres(own);
    let restarted = false;
    try {
      for (let i = 0; i < 3; i++) expectUnavailable(await listDocuments());
      // The original is stored before the row is written; the failed row removes it again.
      expectUnavailable(await addText("during the outage"));
      expect(storedFiles()).toHaveLength(filesBefore);
      expect((await call(api.url, "GET", "/readyz")).status).toBe(503);
      await startPostgres(own);
      restarted = true;
      const upAt = Date.now();
      const back = await callUntil(listDocuments, (a) => a.status === 200, 15_000);
      expect(back.at - upAt).toBeLessThan(3000);
    } finally {
      if (!restarted) await startPostgres(own);
    }
    expect((await addText("after the outage")).status).toBe(201);
  });
});

describe("the API while Redis restarts", () => {
  it("answers 503 where Redis is needed, still accepts documents, and recovers", async () => {
    await stopRedis(own);
    let restarted = false;
    try {
      // Live document status needs Redis (its pub/sub channel).
      expectUnavailable(await call(api.url, "GET", `/v1/bots/${bot.id}/documents/events`, { headers: auth }));
      // Storing a document does not: it is kept PENDING and queued once Redis is back.
      const added = await addText("while redis is down");
      expect(added.status).toBe(201);
      expect(added.ms).toBeLessThan(4000);
      expect((await listDocuments()).status).toBe(200);
      await startRedis(own);
      restarted = true;
    } finally {
      if (!restarted) await startRedis(own);
    }
    const controller = new AbortController();
    const events = await callUntil(
      async () => {
        const started = performance.now();
        const response = await fetch(`${api.url}/v1/bots/${bot.id}/documents/events`, { headers: auth, signal: controller.signal });
        return { status: response.status, headers: response.headers, body: null, ms: performance.now() - started };
      },
      (a) => a.status === 200,
      15_000,
    );
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
    controller.abort();
  });
});

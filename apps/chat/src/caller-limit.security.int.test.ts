/**
 * Security regression (issue #12, item 4), chat service: its per-caller limit was keyed
 * by the raw Authorization header, so a fresh forged key per request was never limited.
 * Forged keys now count against the client's address; a real key has its own bucket.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { randomBytes } from "node:crypto";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../test-support/app";
import { createWorkspaceWithBot } from "../test-support/fixtures";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const MAX = 5;
const app = await buildTestApp(db, redis, { CHAT_RATE_LIMIT_PER_MINUTE: String(MAX) });
afterAll(() => app.close());
const { workspace } = await createWorkspaceWithBot(db.db);
const realKey = await createTestApiKey(db.db, workspace.id);

const forgedKey = () => `dk_live_${randomBytes(30).toString("base64url").replace(/[-_]/g, "A").slice(0, 40)}`;
const models = (key: string) =>
  app.inject({ method: "GET", url: "/v1/models", remoteAddress: "192.0.2.50", headers: { authorization: `Bearer ${key}` } });

describe("chat per-caller limit", () => {
  it("limits forged keys per address and gives a verified key its own bucket", async () => {
    const forged: number[] = [];
    for (let i = 0; i < MAX + 2; i++) forged.push((await models(forgedKey())).statusCode);
    expect(forged.slice(0, MAX)).toEqual(Array(MAX).fill(401));
    expect(forged.slice(MAX)).toEqual([429, 429]);

    const real: number[] = [];
    for (let i = 0; i < MAX + 1; i++) real.push((await models(realKey)).statusCode);
    expect(real.slice(0, MAX)).toEqual(Array(MAX).fill(200));
    expect(real[MAX]).toBe(429);
  });
});

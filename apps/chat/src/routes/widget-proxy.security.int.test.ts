/**
 * Security regression (issue #12, item 8): with only the proxy hop trusted, a visitor who
 * sends a fresh X-Forwarded-For on every request still lands in one per-IP bucket, so the
 * widget's per-IP limit holds. TRUST_PROXY takes the same forms as the API's.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { EnvError, parseEnv } from "@docent/config/env";
import { addOrigin } from "@docent/db/queries/origins";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { beforeEach, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test-support/app";
import { createWorkspaceWithBot } from "../../test-support/fixtures";
import { chatEnvSchema } from "../env";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const { bot } = await createWorkspaceWithBot(db.db);
await addOrigin(db.db, { botId: bot.id, origin: "https://shop.example" });
beforeEach(() => redis.flush());

const PER_IP = 3;
let spoof = 0;
/** What a proxy at 127.0.0.1 forwards: the visitor's forged header, then the address it saw. */
const ask = (app: Awaited<ReturnType<typeof buildTestApp>>, visitorAddress = "203.0.113.7") =>
  app.inject({
    method: "POST",
    url: `/v1/widget/${bot.publicId}/chat`,
    remoteAddress: "127.0.0.1",
    headers: { origin: "https://shop.example", "x-forwarded-for": `198.51.100.${++spoof % 250}, ${visitorAddress}` },
    payload: { message: "hello", stream: false },
  });

describe("TRUST_PROXY in the chat service", () => {
  it("accepts the API's forms: true, false, hop counts, addresses, CIDRs, named ranges and host names", () => {
    const parse = (value: string) => parseEnv(chatEnvSchema, { TRUST_PROXY: value }).TRUST_PROXY;
    for (const good of ["true", "false", "1", "uniquelocal", "10.0.0.1, 172.16.0.0/12,fd00::/8", "loopback,10.0.0.0/255.0.0.0", "admin"]) {
      expect(parse(good), good).toBe(good);
    }
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.1/8/2", "not a host!", "10.0.0.1, proxy_internal"]) {
      expect(() => parse(bad), bad).toThrow(EnvError);
    }
  });

  it("keeps the widget's per-IP limit when only the proxy hop is trusted and X-Forwarded-For is forged", async () => {
    const app = await buildTestApp(db, redis, {
      TRUST_PROXY: "127.0.0.1",
      WIDGET_RATE_LIMIT_PER_IP: String(PER_IP),
      WIDGET_RATE_LIMIT_PER_VISITOR: "100",
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < PER_IP + 3; i++) statuses.push((await ask(app)).statusCode);
      expect(statuses.slice(0, PER_IP)).toEqual(Array(PER_IP).fill(200));
      expect(statuses.slice(PER_IP)).toEqual([429, 429, 429]);
      // Another visitor behind the same proxy has a bucket of its own.
      expect((await ask(app, "203.0.113.8")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

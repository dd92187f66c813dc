/**
 * Tenant isolation of topics and exports: an admin of another workspace gets 404 on
 * every topic and export route of a bot that is not theirs (by its id, or by addressing
 * a foreign topic through their own bot), and nothing of the owner's changes; their own
 * bot's export holds none of the owner's rows.
 */
import { bots, chatbotTopics } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApiKey, useChatTestApp } from "../test-support/app";
import { createWorkspaceWithBot } from "../test-support/fixtures";

const { db, app } = await useChatTestApp();
const admin = ["chat", "analytics:read", "bots:read", "bots:write"] as const;
const acme = await createWorkspaceWithBot(db.db, { name: "Acme" });
const acmeKey = await createTestApiKey(db.db, acme.workspace.id, { scopes: [...admin] });
const globex = await createWorkspaceWithBot(db.db, { name: "Globex" });
const globexKey = await createTestApiKey(db.db, globex.workspace.id, { scopes: [...admin] });

const topic = { name: "Billing", color: "#1a7f5a", description: "refunds and invoices", examples: ["How do I get a refund?"] };
let acmeTopicId: string;

const call = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, key: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  const res = await call("POST", `/v1/bots/${acme.bot.id}/topics`, acmeKey, topic);
  expect(res.statusCode).toBe(201);
  acmeTopicId = res.json().topic.id;
  const ask = await call("POST", `/v1/bots/${acme.bot.id}/chat`, acmeKey, { message: "How do I get a refund for my invoice?" });
  expect(ask.statusCode).toBe(200);
});

describe("topics and exports across tenants", () => {
  it("answers 404 to another workspace on every route and changes nothing", async () => {
    const a = `/v1/bots/${acme.bot.id}`;
    const g = `/v1/bots/${globex.bot.id}`;
    const attempts: [Parameters<typeof call>[0], string, object?][] = [
      ["GET", `${a}/topics`],
      ["POST", `${a}/topics`, { ...topic, name: "Stolen" }],
      ["PUT", `${a}/topics/${acmeTopicId}`, { ...topic, name: "Renamed" }],
      ["DELETE", `${a}/topics/${acmeTopicId}`],
      ["PUT", `${g}/topics/${acmeTopicId}`, { ...topic, name: "Renamed" }],
      ["DELETE", `${g}/topics/${acmeTopicId}`],
      ["PUT", `${a}/topic-settings`, { threshold: 0.9 }],
      ["GET", `${a}/topics/suggestions`],
      ["GET", `${a}/topics/stats?from=2026-01-01&to=2026-01-31`],
      ["GET", `${a}/exports/conversations?from=2026-01-01&to=2026-12-31&format=csv`],
      ["GET", `${a}/exports/analytics?from=2026-01-01&to=2026-12-31&format=json`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(method, url, globexKey, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error).toBe("NOT_FOUND");
    }
    const topics = await db.db.select().from(chatbotTopics);
    expect(topics.map((t) => [t.botId, t.name])).toEqual([[acme.bot.id, "Billing"]]);
    const [bot] = await db.db.select({ threshold: bots.topicThreshold }).from(bots).where(eq(bots.id, acme.bot.id));
    expect(bot?.threshold).toBeCloseTo(0.35);
  });

  it("exports of one's own bot hold none of another tenant's rows", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const own = await call("GET", `/v1/bots/${globex.bot.id}/exports/conversations?from=${today}&to=${today}&format=json`, globexKey);
    expect(own.statusCode).toBe(200);
    expect(own.body).toBe("");
    const theirs = await call("GET", `/v1/bots/${acme.bot.id}/exports/conversations?from=${today}&to=${today}&format=json`, acmeKey);
    expect(theirs.body.trimEnd().split("\n")).toHaveLength(2);
  });
});

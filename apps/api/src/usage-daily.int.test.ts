/**
 * GET /v1/workspaces/:workspaceId/usage/daily: the workspace's counters per bot, day and
 * metric over a date range, filtered by bot and metric, with totals; a range over a year
 * or reversed is a 400; another workspace's bot is a 404 and its counters never show.
 */
import { recordUsage } from "@docent/db/queries/usage-metrics";
import { createBot } from "@docent/testing/factories";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app, db } = await createTestApi();
const owner = await signUp(app, "usage-owner");
const other = await signUp(app, "usage-other");
const ws = `/v1/workspaces/${owner.workspaceId}`;
// Straight to the database: the Free plan allows one bot per workspace.
const support = await createBot(db, { workspaceId: owner.workspaceId, name: "Support" });
const sales = await createBot(db, { workspaceId: owner.workspaceId, name: "Sales" });
const foreign = await createBot(db, { workspaceId: other.workspaceId, name: "Foreign" });

const at = (day: string) => new Date(`${day}T12:00:00Z`);
await recordUsage(db, { workspaceId: owner.workspaceId, botId: support.id, at: at("2026-11-02"), metrics: { messages: 3, prompt_tokens: 120 } });
await recordUsage(db, { workspaceId: owner.workspaceId, botId: support.id, at: at("2026-11-02"), metrics: { messages: 2 } });
await recordUsage(db, { workspaceId: owner.workspaceId, botId: sales.id, at: at("2026-11-03"), metrics: { messages: 1, api_calls: 1 } });
await recordUsage(db, { workspaceId: owner.workspaceId, botId: support.id, at: at("2026-10-01"), metrics: { messages: 9 } });
await recordUsage(db, { workspaceId: other.workspaceId, botId: foreign.id, at: at("2026-11-02"), metrics: { messages: 50 } });

describe("daily usage", () => {
  it("sums upserts per bot, day and metric, within the range, for the caller's workspace only", async () => {
    const res = await owner.request("GET", `${ws}/usage/daily?from=2026-11-01&to=2026-11-30`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toEqual([
      { botId: support.id, botName: "Support", day: "2026-11-02", metric: "messages", value: 5 },
      { botId: support.id, botName: "Support", day: "2026-11-02", metric: "prompt_tokens", value: 120 },
      { botId: sales.id, botName: "Sales", day: "2026-11-03", metric: "api_calls", value: 1 },
      { botId: sales.id, botName: "Sales", day: "2026-11-03", metric: "messages", value: 1 },
    ]);
    expect(body.totals).toMatchObject({ messages: 6, prompt_tokens: 120, api_calls: 1, documents_embedded: 0 });
  });

  it("filters by bot and by metrics", async () => {
    const bySales = (await owner.request("GET", `${ws}/usage/daily?from=2026-11-01&to=2026-11-30&botId=${sales.id}`)).json();
    expect(bySales.totals.messages).toBe(1);
    const tokens = (await owner.request("GET", `${ws}/usage/daily?from=2026-10-01&to=2026-11-30&metric=messages&metric=api_calls`)).json();
    expect(tokens.items.map((r: { metric: string }) => r.metric).sort()).toEqual(["api_calls", "messages", "messages", "messages"]);
    expect(tokens.totals.messages).toBe(15);
  });

  it.each([
    ["a range over a year", "from=2024-01-01&to=2026-11-30", /at most 366 days/],
    ["a reversed range", "from=2026-11-30&to=2026-11-01", /from must not be after to/],
    ["a malformed day", "from=2026-13-01", /query\.from/],
    ["an unknown metric", "metric=coffee", /query\.metric/],
  ])("refuses %s with a 400", async (_label, query, message) => {
    const res = await owner.request("GET", `${ws}/usage/daily?${query}`);
    expect(res.statusCode).toBe(400);
    expect(`${errorBody(res).message}`).toMatch(message);
  });

  it("answers 404 for another workspace's bot, and for another workspace", async () => {
    const res = await owner.request("GET", `${ws}/usage/daily?botId=${foreign.id}`);
    expect(res.statusCode).toBe(404);
    expect((await owner.request("GET", `/v1/workspaces/${other.workspaceId}/usage/daily`)).statusCode).toBe(404);
  });
});

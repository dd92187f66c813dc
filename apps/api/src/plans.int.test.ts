/**
 * Plans as a platform admin manages them through the API: create and edit plans (limits
 * bounded, each refusal naming its field), move a workspace to a plan, choose the plan new
 * workspaces start on; a plan lowered under a workspace's use is allowed but flagged, to
 * the admin and on the workspace's own usage; limit errors say the limit in words.
 */
import { users } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app, db } = await createTestApi();

const operator = await signUp(app, "plan-operator");
await db.update(users).set({ role: "ADMIN" }).where(eq(users.id, operator.userId));
const customer = await signUp(app, "plan-customer");
const usageOf = async (client = customer, workspaceId = customer.workspaceId) =>
  (await client.request("GET", `/v1/workspaces/${workspaceId}/usage`)).json();

const team = {
  code: "team",
  name: "Team",
  description: "For a team of five",
  priceMonthly: "49.00",
  maxBots: 5,
  maxDocumentsPerBot: 3,
  maxTotalDocumentStorageGb: 2,
  maxFileSizeMb: 20,
  maxQueriesPerMonth: 2000,
  maxRetrievalsPerMonth: 10_000,
  maxDocProcessingJobsPerMonth: 100,
  maxPdfPages: 1000,
  maxDocProcessingSeconds: 300,
  allowAdvancedRagConfig: true,
};

describe("plans for platform admins", () => {
  let teamId = "";

  it("lists every plan with its workspaces and the default", async () => {
    const response = await operator.request("GET", "/v1/admin/plans");
    expect(response.statusCode).toBe(200);
    const plans = response.json().items as { code: string; isDefault: boolean; workspaceCount: number }[];
    expect(plans.map((p) => p.code)).toEqual(["free", "pro", "business"]);
    expect(plans.find((p) => p.isDefault)?.code).toBe("free");
    expect(plans.find((p) => p.code === "free")!.workspaceCount).toBeGreaterThanOrEqual(2);
    const denied = await customer.request("GET", "/v1/admin/plans");
    expect(denied.statusCode).toBe(403);
    expect((await customer.request("POST", "/v1/admin/plans", team)).statusCode).toBe(403);
  });

  it("refuses negative, absurd and malformed limits with a 400 naming the field", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ maxBots: -1 }, "body.maxBots", /bots cannot be negative/],
      [{ maxDocumentsPerBot: 1e12 }, "body.maxDocumentsPerBot", /at most 1,000,000,000/],
      [{ maxQueriesPerMonth: 2.5 }, "body.maxQueriesPerMonth", /whole number/],
      [{ maxTotalDocumentStorageGb: -0.5 }, "body.maxTotalDocumentStorageGb", /negative/],
      [{ maxFileSizeMb: 0 }, "body.maxFileSizeMb", /at least 1 MB/],
      [{ maxPdfPages: null }, "body.maxPdfPages", /.+/],
      [{ maxDocProcessingSeconds: 10 ** 7 }, "body.maxDocProcessingSeconds", /one day/],
      [{ maxRetrievalsPerMonth: "lots" }, "body.maxRetrievalsPerMonth", /.+/],
      [{ priceMonthly: "-3" }, "body.priceMonthly", /price/],
      [{ code: "Team Plan" }, "body.code", /lower-case/],
      [{ unlimitedEverything: true }, "body.unlimitedEverything", /unknown field/],
    ];
    for (const [change, path, message] of cases) {
      const response = await operator.request("POST", "/v1/admin/plans", { ...team, ...change });
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
      const issue = errorBody(response).details?.issues?.find((i) => i.path === path);
      expect(issue, `${JSON.stringify(change)}: ${response.body}`).toBeDefined();
      expect(issue!.message).toMatch(message);
    }
    const missing = await operator.request("POST", "/v1/admin/plans", { code: "bare", name: "Bare" });
    expect(errorBody(missing).details?.issues?.map((i) => i.path)).toContain("body.maxBots");
  });

  it("creates a plan, and refuses a taken code or name with a 409 naming it", async () => {
    const created = await operator.request("POST", "/v1/admin/plans", team);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ ...team, isActive: true, isDefault: false, workspaceCount: 0 });
    teamId = created.json().id;
    const sameCode = await operator.request("POST", "/v1/admin/plans", { ...team, name: "Other" });
    expect(sameCode.statusCode).toBe(409);
    expect(errorBody(sameCode)).toMatchObject({ error: "PLAN_EXISTS", details: { field: "code" } });
    const sameName = await operator.request("POST", "/v1/admin/plans", { ...team, code: "team-2" });
    expect(errorBody(sameName)).toMatchObject({ error: "PLAN_EXISTS", details: { field: "name" } });
    const unlimited = await operator.request("POST", "/v1/admin/plans", {
      ...team,
      code: "big",
      name: "Big",
      maxBots: null,
      maxDocumentsPerBot: null,
      maxTotalDocumentStorageGb: null,
    });
    expect(unlimited.json()).toMatchObject({ maxBots: null, maxDocumentsPerBot: null, maxTotalDocumentStorageGb: null });
  });

  it("moves a workspace to the plan; its usage shows the new limits", async () => {
    const moved = await operator.request("PUT", `/v1/admin/workspaces/${customer.workspaceId}/plan`, { planId: teamId });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ plan: { code: "team" }, overLimits: [] });
    const usage = await usageOf();
    expect(usage.plan).toMatchObject({ code: "team", maxBots: 5 });
    expect(usage.usage.bots).toEqual({ used: 0, limit: 5 });
    expect(usage.usage.retrievalsThisMonth).toEqual({ used: 0, limit: 10_000 });
    const listed = (await operator.request("GET", `/v1/admin/workspaces?search=${encodeURIComponent("Personal")}&limit=100`)).json();
    expect(listed.items.find((w: { id: string }) => w.id === customer.workspaceId).plan).toMatchObject({ code: "team", name: "Team" });
    const unknown = await operator.request("PUT", `/v1/admin/workspaces/${customer.workspaceId}/plan`, {
      planId: "00000000-0000-4000-8000-000000000000",
    });
    expect(errorBody(unknown)).toMatchObject({ statusCode: 404, message: "Plan not found" });
  });

  it("allows lowering a plan under a workspace's use, and flags it to the admin and on the workspace", async () => {
    const ws = `/v1/workspaces/${customer.workspaceId}`;
    for (const name of ["One", "Two", "Three"]) expect((await customer.request("POST", `${ws}/bots`, { name })).statusCode).toBe(201);

    const lowered = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { maxBots: 2 });
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json().plan).toMatchObject({ maxBots: 2, workspaceCount: 1 });
    expect(lowered.json().workspacesOverLimit).toEqual({
      total: 1,
      items: [
        {
          workspaceId: customer.workspaceId,
          workspaceName: "Personal",
          over: [{ limit: "bots", used: 3, max: 2, message: "3 bots, over the limit of 2 bots on the Team plan" }],
        },
      ],
    });
    // The workspace keeps its bots, sees what is over, and cannot add another.
    expect((await usageOf()).overLimits).toEqual([
      { limit: "bots", used: 3, max: 2, message: "3 bots, over the limit of 2 bots on the Team plan" },
    ]);
    expect((await operator.request("GET", `/v1/admin/workspaces/${customer.workspaceId}/usage`)).json().overLimits).toHaveLength(1);
    const fourth = await customer.request("POST", `${ws}/bots`, { name: "Four" });
    expect(fourth.statusCode).toBe(402);
    expect(errorBody(fourth).message).toBe("Limit reached: 2 bots on the Team plan.");

    const raised = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { maxBots: null, name: "Team+" });
    expect(raised.json()).toMatchObject({ plan: { maxBots: null, name: "Team+" }, workspacesOverLimit: { total: 0, items: [] } });
    expect((await usageOf()).usage.bots).toEqual({ used: 3, limit: null });
    expect((await customer.request("POST", `${ws}/bots`, { name: "Four" })).statusCode).toBe(201);

    const empty = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, {});
    expect(empty.statusCode).toBe(400);
    const negative = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { maxDocumentsPerBot: -5 });
    expect(errorBody(negative).details?.issues?.[0]).toMatchObject({ path: "body.maxDocumentsPerBot" });
  });

  it("names the documents limit in words when a bot is full", async () => {
    const ws = `/v1/workspaces/${customer.workspaceId}`;
    const bot = (await customer.request("GET", `${ws}/bots`)).json().items[0];
    for (let i = 0; i < 3; i++) {
      const added = await customer.request("POST", `/v1/bots/${bot.id}/documents/text`, { name: `Doc ${i}`, text: `Fact number ${i}.` });
      expect(added.statusCode).toBe(201);
    }
    const full = await customer.request("POST", `/v1/bots/${bot.id}/documents/text`, { name: "Doc 4", text: "One too many." });
    expect(full.statusCode).toBe(402);
    expect(errorBody(full)).toMatchObject({
      error: "QUOTA_EXCEEDED",
      message: "Limit reached: 3 documents per bot on the Team+ plan.",
      details: { limit: "documentsPerBot", max: 3 },
    });
  });

  it("makes a plan the default for new workspaces, never an inactive one", async () => {
    const inactive = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { isActive: false, isDefault: true });
    expect(errorBody(inactive)).toMatchObject({ statusCode: 409, error: "PLAN_INACTIVE" });
    expect((await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { isDefault: true })).statusCode).toBe(200);
    const plans = (await operator.request("GET", "/v1/admin/plans")).json().items as { code: string; isDefault: boolean }[];
    expect(plans.filter((p) => p.isDefault).map((p) => p.code)).toEqual(["team"]);
    const newcomer = await signUp(app, "plan-newcomer");
    expect((await usageOf(newcomer, newcomer.workspaceId)).plan.code).toBe("team");
    const hide = await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { isActive: false });
    expect(errorBody(hide)).toMatchObject({ statusCode: 409, error: "PLAN_IS_DEFAULT" });
    const free = plans.find((p) => p.code === "free") as unknown as { id: string };
    expect((await operator.request("PATCH", `/v1/admin/plans/${free.id}`, { isDefault: true })).statusCode).toBe(200);
    // Hidden from the public list, kept by the workspaces on it.
    expect((await operator.request("PATCH", `/v1/admin/plans/${teamId}`, { isActive: false })).statusCode).toBe(200);
    const offered = (await app.inject({ method: "GET", url: "/v1/plans" })).json().items.map((p: { code: string }) => p.code);
    expect(offered).not.toContain("team");
    expect((await usageOf()).plan.code).toBe("team");
  });
});

/**
 * Plans operators manage, on real PostgreSQL: start-up seeds only what is missing (edits
 * survive), an unlimited default plan for single-tenant installs, a 5,000-document
 * knowledge base fits the catalog, lowered plans flag the workspaces now over them, and
 * the search API's own monthly counter.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ensureCatalog, UnknownPlanError } from "../catalog";
import { migrationsFolder } from "../migrate";
import * as s from "../schema";
import { addDocument, createBot, createUser, createWorkspace } from "../testing/factories";
import { createPlan, getPlanByCode, listPlansWithWorkspaceCounts, setWorkspacePlan, updatePlan } from "./plans";
import {
  assertWithinLimit,
  getCurrentSubscription,
  getMonthlyUsage,
  getUsage,
  overLimits,
  periodStartOf,
  reserveMonthlyUsage,
  workspacesOverLimits,
} from "./usage";

const { db } = await useTestDatabase();
await ensureCatalog(db);

const workspace = async (plan?: string) => createWorkspace(db, { owner: await createUser(db), plan });
const bot = (workspaceId: string) => createBot(db, { workspaceId });

const limits = {
  maxBots: 2,
  maxDocumentsPerBot: 3,
  maxTotalDocumentStorageGb: 1,
  maxFileSizeMb: 5,
  maxQueriesPerMonth: 10,
  maxRetrievalsPerMonth: 2,
  maxDocProcessingJobsPerMonth: 10,
  maxPdfPages: 100,
  maxDocProcessingSeconds: 60,
  allowAdvancedRagConfig: false,
};

describe("the catalog at start-up", () => {
  it("keeps an operator's edits and adds only the plans that are missing", async () => {
    const free = (await getPlanByCode(db, "free"))!;
    await updatePlan(db, free.id, { maxDocumentsPerBot: 7, description: "Edited by the operator" });
    await db.delete(s.plans).where(eq(s.plans.code, "pro"));
    await ensureCatalog(db);
    expect(await getPlanByCode(db, "free")).toMatchObject({ id: free.id, maxDocumentsPerBot: 7, description: "Edited by the operator" });
    expect(await getPlanByCode(db, "pro")).toMatchObject({ maxDocumentsPerBot: 100, maxRetrievalsPerMonth: 50_000 });
    await updatePlan(db, free.id, { maxDocumentsPerBot: 5, description: "One bot to try Docent on a handful of documents." });
  });

  it("skips a catalog plan whose name an operator already gave another plan", async () => {
    await db.delete(s.plans).where(eq(s.plans.code, "pro"));
    const custom = await createPlan(db, { code: "team-pro", name: "Pro", ...limits });
    await ensureCatalog(db);
    expect(await getPlanByCode(db, "pro")).toBeUndefined();
    await db.delete(s.plans).where(eq(s.plans.id, custom.id));
    await ensureCatalog(db);
    expect(await getPlanByCode(db, "pro")).toBeDefined();
  });

  it("creates the Unlimited plan for DEFAULT_PLAN=unlimited and starts new workspaces on it", async () => {
    await ensureCatalog(db, { defaultPlan: "unlimited" });
    const unlimited = (await getPlanByCode(db, "unlimited"))!;
    expect(unlimited).toMatchObject({
      isDefault: true,
      maxBots: null,
      maxDocumentsPerBot: null,
      maxTotalDocumentStorageGb: null,
      maxFileSizeMb: null,
      maxQueriesPerMonth: null,
      maxRetrievalsPerMonth: null,
      maxDocProcessingJobsPerMonth: null,
      allowAdvancedRagConfig: true,
    });
    const plans = await listPlansWithWorkspaceCounts(db);
    expect(plans.filter((p) => p.isDefault).map((p) => p.code)).toEqual(["unlimited"]);
    expect(plans.find((p) => p.code === "unlimited")!.workspaceCount).toBe(0);

    const ws = await workspace();
    expect((await listPlansWithWorkspaceCounts(db)).find((p) => p.code === "unlimited")!.workspaceCount).toBe(1);
    expect((await getCurrentSubscription(db, ws.id)).plan.code).toBe("unlimited");
    const b = await bot(ws.id);
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "bots", amount: 1_000_000 });
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "documentsPerBot", botId: b.id, amount: 1_000_000 });
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "fileSize", amount: 50 * 1024 ** 3 });
    for (let i = 0; i < 3; i++) {
      expect(await reserveMonthlyUsage(db, { workspaceId: ws.id, periodStart: periodStartOf(), counter: "queries", max: null })).toEqual({ used: i });
    }

    await expect(ensureCatalog(db, { defaultPlan: "platinum" })).rejects.toThrow(UnknownPlanError);
    await expect(ensureCatalog(db, { defaultPlan: "platinum" })).rejects.toThrow(/free, pro, business, unlimited/);
    // Back to Free, as the other tests expect; without DEFAULT_PLAN the flag is left alone.
    await ensureCatalog(db, { defaultPlan: "free" });
    await ensureCatalog(db);
    expect((await listPlansWithWorkspaceCounts(db)).filter((p) => p.isDefault).map((p) => p.code)).toEqual(["free"]);
  });

  it("fits a 5,000-document knowledge base on Business", async () => {
    const ws = await workspace("business");
    const b = await bot(ws.id);
    await db.execute(sql`
      insert into bot_documents (bot_id, name, size_bytes)
      select ${b.id}, 'doc ' || i, 200000 from generate_series(1, 4999) as i`);
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "documentsPerBot", botId: b.id });
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "storage", amount: 200_000 });
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "processingJobsPerMonth", amount: 5_000 });
    await expect(
      assertWithinLimit(db, { workspaceId: ws.id, limit: "documentsPerBot", botId: b.id, amount: 5_002 }),
    ).rejects.toThrow("Limit reached: 10,000 documents per bot on the Business plan.");
  });
});

describe("lowered plans", () => {
  it("flag the workspaces now over them, naming what is over in words", async () => {
    const tiny = await createPlan(db, { code: "tiny", name: "Tiny", ...limits, maxBots: 5 });
    const over = await workspace("tiny");
    const within = await workspace("tiny");
    await workspace("free");
    for (let i = 0; i < 3; i++) await bot(over.id);
    const full = await bot(over.id);
    for (let i = 0; i < 3; i++) await addDocument(db, full, { sizeBytes: 10 });
    await bot(within.id);
    expect((await workspacesOverLimits(db, tiny)).total).toBe(0);

    const lowered = (await updatePlan(db, tiny.id, { maxBots: 2, maxDocumentsPerBot: 1 }))!;
    const flagged = await workspacesOverLimits(db, lowered);
    expect(flagged.total).toBe(1);
    expect(flagged.items[0]).toMatchObject({ workspaceId: over.id, workspaceName: over.name });
    expect(flagged.items[0]!.over).toEqual([
      { limit: "bots", used: 4, max: 2, message: "4 bots, over the limit of 2 bots on the Tiny plan" },
      { limit: "documentsPerBot", used: 3, max: 1, message: "a bot with 3 documents, over the limit of 1 document per bot on the Tiny plan" },
    ]);
    // The workspace's own usage says the same.
    expect(overLimits(lowered, await getUsage(db, over.id)).map((o) => o.limit)).toEqual(["bots", "documentsPerBot"]);
    expect(overLimits(lowered, await getUsage(db, within.id))).toEqual([]);
  });

  it("moves a workspace to another plan, making a subscription when it had none", async () => {
    const ws = await workspace("free");
    const pro = (await getPlanByCode(db, "pro"))!;
    expect(await setWorkspacePlan(db, ws.id, pro.id)).toBe(true);
    expect((await getCurrentSubscription(db, ws.id)).plan.code).toBe("pro");
    await db.delete(s.subscriptions).where(eq(s.subscriptions.workspaceId, ws.id));
    expect(await getCurrentSubscription(db, ws.id)).toMatchObject({ status: null, plan: { code: "free" } });
    expect(await setWorkspacePlan(db, ws.id, pro.id)).toBe(true);
    expect(await getCurrentSubscription(db, ws.id)).toMatchObject({ status: "ACTIVE", plan: { code: "pro" } });
    expect(await setWorkspacePlan(db, "00000000-0000-4000-8000-000000000000", pro.id)).toBe(false);
  });

  it("refuse negative limits in the database too", async () => {
    const error = await db
      .insert(s.plans)
      .values({ code: "negative", name: "Negative", maxBots: -1 })
      .catch((e: unknown) => e);
    expect(String((error as { cause?: unknown }).cause ?? error)).toMatch(/plans_limits_not_negative/);
  });
});

describe("the search API's monthly counter", () => {
  it("is its own allowance, apart from questions", async () => {
    const ws = await workspace("free");
    const periodStart = periodStartOf();
    const reserve = () => reserveMonthlyUsage(db, { workspaceId: ws.id, periodStart, counter: "retrievals", max: 2 });
    expect(await reserve()).toEqual({ used: 0 });
    expect(await reserve()).toEqual({ used: 1 });
    expect(await reserve()).toBeNull();
    expect(await getMonthlyUsage(db, { workspaceId: ws.id, periodStart, counter: "retrievals" })).toBe(2);
    expect(await getMonthlyUsage(db, { workspaceId: ws.id, periodStart, counter: "queries" })).toBe(0);
    expect(await getUsage(db, ws.id)).toMatchObject({ retrievalsThisMonth: 2, queriesThisMonth: 0 });
    expect(await reserveMonthlyUsage(db, { workspaceId: ws.id, periodStart, counter: "retrievals", max: 0 })).toBeNull();
  });
});

describe("the data migration (0014)", () => {
  const statements = readFileSync(join(migrationsFolder, "0015_operator_plans_data.sql"), "utf8")
    .split("--> statement-breakpoint")
    .map((statement) => statement.trim())
    .filter(Boolean);

  it("raises an unedited Business plan so 5,000 documents fit, and leaves edited plans alone", async () => {
    const business = (await getPlanByCode(db, "business"))!;
    const pro = (await getPlanByCode(db, "pro"))!;
    // Business as the old catalog wrote it; Pro as an operator edited it.
    await updatePlan(db, business.id, { maxDocumentsPerBot: 1000, maxDocProcessingJobsPerMonth: 5000, maxQueriesPerMonth: 100_000 });
    await updatePlan(db, pro.id, { maxDocumentsPerBot: 1000, maxQueriesPerMonth: 1_000_000_000 });
    for (const statement of statements) await db.execute(sql.raw(statement));
    expect(await getPlanByCode(db, "business")).toMatchObject({
      maxDocumentsPerBot: 10_000,
      maxDocProcessingJobsPerMonth: 20_000,
      maxRetrievalsPerMonth: 500_000,
    });
    // Pro was not at Business's old values; five times a billion stops at the column's range.
    expect(await getPlanByCode(db, "pro")).toMatchObject({ maxDocumentsPerBot: 1000, maxRetrievalsPerMonth: 2_147_483_647 });
    await updatePlan(db, pro.id, { maxDocumentsPerBot: 100, maxQueriesPerMonth: 10_000, maxRetrievalsPerMonth: 50_000 });
  });
});

/**
 * Plans, usage counters and quota checks on real PostgreSQL: the functions the API,
 * the ingestion worker and the chat service all enforce limits with.
 */
// Brings in the `inject()` typings of the test fixtures.
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ensureCatalog, planCatalog } from "../catalog";
import * as s from "../schema";
import { addDocument, createBot, createUser, createWorkspace } from "../testing/factories";
import {
  QuotaExceededError,
  assertWithinLimit,
  getCurrentSubscription,
  getUsage,
  incrementUsage,
  periodStartOf,
} from "./usage";

const { db } = await useTestDatabase();
await ensureCatalog(db);

let n = 0;
async function workspace(plan = "free") {
  const user = await createUser(db, { email: `Quota${++n}@Example.com` });
  return { user, ws: await createWorkspace(db, { owner: user, plan }) };
}
const bot = (workspaceId: string) => createBot(db, { workspaceId });

describe("catalog", () => {
  it("is idempotent and keeps plan ids stable", async () => {
    const before = await db.select().from(s.plans);
    await ensureCatalog(db);
    const after = await db.select().from(s.plans);
    expect(after.map((p) => p.id).sort()).toEqual(before.map((p) => p.id).sort());
    expect(after.map((p) => p.code).sort()).toEqual(["business", "free", "pro"]);
    expect(after.filter((p) => p.isDefault).map((p) => p.code)).toEqual(["free"]);
    expect((await db.select().from(s.templates)).length).toBe(4);
    const free = planCatalog.find((p) => p.code === "free")!;
    expect(free).toMatchObject({ maxBots: 1, maxDocumentsPerBot: 5, maxTotalDocumentStorageGb: 1, maxQueriesPerMonth: 1000, maxDocProcessingJobsPerMonth: 10 });
  });
});

describe("quotas", () => {
  it("puts new workspaces on Free and lower-cases e-mails", async () => {
    const { user, ws } = await workspace();
    expect(user.email).toBe(user.email.toLowerCase());
    const { plan, status } = await getCurrentSubscription(db, ws.id);
    expect(plan.code).toBe("free");
    expect(status).toBe("ACTIVE");
  });

  it("counts bots, documents and storage, and throws naming the limit", async () => {
    const { ws } = await workspace();
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "bots" });
    const b = await bot(ws.id);
    const error = await assertWithinLimit(db, { workspaceId: ws.id, limit: "bots" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as QuotaExceededError).message).toBe("Limit reached: 1 bot on the Free plan.");
    expect(error).toMatchObject({ statusCode: 402, code: "QUOTA_EXCEEDED", limit: "bots", max: 1, current: 1 });

    for (let i = 0; i < 5; i++) await addDocument(db, b, { sizeBytes: 200 * 1024 * 1024 });
    await expect(assertWithinLimit(db, { workspaceId: ws.id, limit: "documentsPerBot", botId: b.id })).rejects.toThrow(
      "Limit reached: 5 documents per bot on the Free plan.",
    );
    const usage = await getUsage(db, ws.id);
    expect(usage).toMatchObject({ bots: 1, documents: 5, storageBytes: 5 * 200 * 1024 * 1024 });
    await expect(
      assertWithinLimit(db, { workspaceId: ws.id, limit: "storage", amount: 100 * 1024 * 1024 }),
    ).rejects.toThrow("Limit reached: 1 GB of document storage on the Free plan.");
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "fileSize", amount: 10 * 1024 * 1024 });
    await expect(assertWithinLimit(db, { workspaceId: ws.id, limit: "fileSize", amount: 10 * 1024 * 1024 + 1 })).rejects.toThrow(
      "Limit reached: 10 MB per file on the Free plan.",
    );
  });

  it("counts queries and processing jobs per calendar month", async () => {
    const { ws } = await workspace("pro");
    const june = new Date("2026-06-15T12:00:00Z");
    const july = new Date("2026-07-01T00:00:01Z");
    await incrementUsage(db, ws.id, { queries: 9_999, inputTokens: 50 }, june);
    await incrementUsage(db, ws.id, { queries: 1, outputTokens: 7 }, june);
    await expect(assertWithinLimit(db, { workspaceId: ws.id, limit: "queriesPerMonth", now: june })).rejects.toThrow(
      "Limit reached: 10,000 questions per month on the Pro plan.",
    );
    await assertWithinLimit(db, { workspaceId: ws.id, limit: "queriesPerMonth", now: july });
    const juneUsage = await getUsage(db, ws.id, june);
    expect(juneUsage).toMatchObject({ periodStart: "2026-06-01", queriesThisMonth: 10_000, inputTokensThisMonth: 50, outputTokensThisMonth: 7 });
    expect((await getUsage(db, ws.id, july)).queriesThisMonth).toBe(0);

    await incrementUsage(db, ws.id, { processingJobs: 500 }, june);
    await expect(
      assertWithinLimit(db, { workspaceId: ws.id, limit: "processingJobsPerMonth", now: june }),
    ).rejects.toThrow("Limit reached: 500 document processing jobs per month on the Pro plan.");
    expect(periodStartOf(new Date("2026-12-31T23:59:59Z"))).toBe("2026-12-01");
  });

  it("falls back to Free when the subscription was canceled", async () => {
    const { ws } = await workspace("business");
    await db.update(s.subscriptions).set({ status: "CANCELED" }).where(eq(s.subscriptions.workspaceId, ws.id));
    expect((await getCurrentSubscription(db, ws.id)).plan.code).toBe("free");
  });
});

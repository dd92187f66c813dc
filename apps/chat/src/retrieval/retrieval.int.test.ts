/**
 * Retrieval on real PostgreSQL + pgvector: BM25 keyword ranking with trigger-maintained
 * statistics, vector search through HNSW and exact scans, hybrid fusion, tenant
 * isolation and the embedding-model guard.
 */
import { botSearchStats, botTermStats } from "@docent/db/schema";
import { botDocumentChunks } from "@docent/db/schema";
import { useTestDatabase } from "@docent/testing/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createHashEmbedder } from "../../test-support/hash-embedder";
import { ChatError } from "../errors";
import { createRetrievalService } from "./service";

const { db } = await useTestDatabase();
const embedder = createHashEmbedder();
const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });

const handbook = [
  { text: "Employees receive twenty-five days of paid vacation per calendar year.", page: 3, headingPath: ["Leave", "Vacation"] },
  { text: "The office opens at eight in the morning and closes at six in the evening.", page: 1 },
  { text: "Parking permits are issued by the facilities team on the second floor.", page: 2 },
  { text: "Expense reports must be filed within thirty days of the purchase.", page: 4 },
  { text: "Remote work is allowed two days a week with manager approval.", page: 5 },
  { text: "The vacation policy also covers public holidays, which are not counted as vacation days.", page: 3 },
];

const { workspace, bot } = await createWorkspaceWithBot(db, { ragConfig: { topK: 3 } });
const { document: handbookDoc } = await addDocument(db, embedder, bot, "handbook.pdf", handbook);
// Another tenant with a sentence no question of the first tenant may ever retrieve.
const other = await createWorkspaceWithBot(db);
await addDocument(db, embedder, other.bot, "secret.txt", [
  "The secret launch code for project Nightingale is azure-falcon-seven, and vacation is cancelled.",
]);

describe("keyword retrieval (BM25)", () => {
  it("finds chunks matching any query term, best match first, with document and page", async () => {
    const result = await retrieval.retrieve({ bot, query: "How many vacation days do I get per year?", mode: "keyword" });
    expect(result.chunks.length).toBeGreaterThanOrEqual(2);
    expect(result.chunks[0]!.content).toContain("twenty-five days");
    expect(result.chunks[0]).toMatchObject({ documentName: "handbook.pdf", page: 3, headingPath: ["Leave", "Vacation"] });
    expect(result.chunks[0]!.keyword!.rank).toBe(1);
    expect(result.chunks[0]!.keyword!.score).toBeGreaterThan(0);
    expect(result.chunks[0]!.keyword!.score).toBeLessThanOrEqual(1);
  });

  it("weights rare terms above common ones (IDF)", async () => {
    // "vacation" is in two chunks, "parking" in one: the parking chunk must win.
    const result = await retrieval.retrieve({ bot, query: "vacation parking", mode: "keyword" });
    expect(result.chunks[0]!.content).toContain("Parking permits");
  });

  it("keeps term statistics right as chunks are added, changed and deleted", async () => {
    const df = async (term: string) =>
      (await db.select().from(botTermStats).where(and(eq(botTermStats.botId, bot.id), eq(botTermStats.term, term))))[0]?.docFreq ?? 0;
    expect(await df("vacat")).toBe(2);
    const { chunkIds } = await addDocument(db, embedder, bot, "extra.txt", ["Vacation requests go through the portal."]);
    expect(await df("vacat")).toBe(3);
    await db.update(botDocumentChunks).set({ content: "Requests go through the portal." }).where(eq(botDocumentChunks.id, chunkIds[0]!));
    expect(await df("vacat")).toBe(2);
    expect(await df("portal")).toBe(1);
    await db.delete(botDocumentChunks).where(eq(botDocumentChunks.id, chunkIds[0]!));
    expect(await df("portal")).toBe(0);
    const [stats] = await db.select().from(botSearchStats).where(eq(botSearchStats.botId, bot.id));
    expect(stats!.chunkCount).toBe(handbook.length);
  });

  it("counts concurrent writers to one bot exactly, without deadlocks", async () => {
    const { bot: busy } = await createWorkspaceWithBot(db);
    const texts = ["alpha beta gamma delta", "delta gamma beta alpha", "beta alpha delta gamma", "gamma delta alpha beta"];
    await Promise.all(texts.map((t, i) => addDocument(db, embedder, busy, `doc${i}.txt`, [t, `${t} epsilon`])));
    const rows = await db.select().from(botTermStats).where(eq(botTermStats.botId, busy.id));
    expect(Object.fromEntries(rows.map((r) => [r.term, r.docFreq]))).toEqual({ alpha: 8, beta: 8, gamma: 8, delta: 8, epsilon: 4 });
    await db.delete(botDocumentChunks).where(eq(botDocumentChunks.botId, busy.id));
    expect(await db.select().from(botTermStats).where(eq(botTermStats.botId, busy.id))).toEqual([]);
  });

  it("returns nothing, without error, for a question with no known words", async () => {
    const result = await retrieval.retrieve({ bot, query: "zzyzx qwertyuiop", mode: "keyword" });
    expect(result.chunks).toEqual([]);
  });
});

describe("vector retrieval", () => {
  it("returns exactly top-k rows when the bot has at least k chunks, index or exact scan", async () => {
    for (const exactScanMaxChunks of [0, 10_000]) {
      const service = createRetrievalService({
        db,
        embedderFor: async () => embedder,
        // maxScanTuples high enough that the tiny test table never forces the exact path.
        tuning: { exactScanMaxChunks, maxScanTuples: 1_000_000 },
      });
      const result = await service.retrieve({ bot, query: "When does the office open in the morning?", mode: "vector", topK: 4 });
      expect(result.exactScan).toBe(exactScanMaxChunks > 0);
      expect(result.chunks).toHaveLength(4);
      expect(result.chunks[0]!.content).toContain("office opens");
      const distances = result.chunks.map((c) => c.vector!.distance);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    }
  });

  it("refuses with a re-index message when the workspace embedder differs from the chunks'", async () => {
    const service = createRetrievalService({ db, embedderFor: async () => createHashEmbedder("openai:text-embedding-3-small") });
    const error = await service.retrieve({ bot, query: "vacation", mode: "hybrid" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect((error as ChatError).statusCode).toBe(409);
    expect((error as ChatError).message).toMatch(/re-index/i);
    // Keyword mode embeds nothing, so it still works.
    const keyword = await service.retrieve({ bot, query: "vacation", mode: "keyword" });
    expect(keyword.chunks.length).toBeGreaterThan(0);
  });
});

describe("hybrid retrieval", () => {
  it("reports each mode's rank and score and honours minScore", async () => {
    const result = await retrieval.retrieve({ bot, query: "paid vacation days per year", mode: "hybrid" });
    const top = result.chunks[0]!;
    expect(top.content).toContain("twenty-five days");
    expect(top.vector?.rank).toBeGreaterThan(0);
    expect(top.keyword?.rank).toBeGreaterThan(0);
    expect(top.hybrid).toEqual({ rank: 1, score: top.score });
    const strict = await retrieval.retrieve({ bot, query: "paid vacation days per year", mode: "hybrid", minScore: 0.99 });
    expect(strict.chunks.every((c) => c.score >= 0.99)).toBe(true);
    expect(strict.chunks.length).toBeLessThan(result.chunks.length);
  });

  it("never returns another tenant's chunk, however exactly the question matches it", async () => {
    for (const mode of ["vector", "keyword", "hybrid"] as const) {
      const result = await retrieval.retrieve({
        bot,
        query: "What is the secret launch code for project Nightingale azure-falcon-seven?",
        mode,
        topK: 10,
      });
      expect(result.chunks.every((c) => c.documentId === handbookDoc.id)).toBe(true);
      expect(result.chunks.map((c) => c.content).join(" ")).not.toContain("Nightingale");
    }
    const own = await retrieval.retrieve({ bot: other.bot, query: "launch code Nightingale", mode: "hybrid" });
    expect(own.chunks[0]!.content).toContain("Nightingale");
    expect(workspace.id).not.toBe(other.workspace.id);
  });
});

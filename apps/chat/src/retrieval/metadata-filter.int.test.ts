/**
 * Metadata filters inside retrieval, on real PostgreSQL + pgvector: in every mode, through
 * the exact scan and the HNSW walk alike, a filtered search returns only chunks of
 * matching documents, exactly k of them when k exist, in the order an unfiltered search
 * gives them; and a filter never reaches another bot's documents.
 */
import type { MetadataFilter } from "@docent/contracts/metadata";
import { retrievalModes } from "@docent/contracts/json";
import { searchChunksByKeyword } from "@docent/db/queries/bm25";
import { searchChunksByVector } from "@docent/db/queries/retrieval";
import * as factories from "@docent/testing/factories";
import { useTestDatabase } from "@docent/testing/db";
import { describe, expect, it } from "vitest";
import { createWorkspaceWithBot } from "../../test-support/fixtures";
import { createHashEmbedder } from "../../test-support/hash-embedder";
import { createRetrievalService, type RetrievalTuning } from "./service";

const { db } = await useTestDatabase();
const embedder = createHashEmbedder();

// 60 documents of 10 chunks; every chunk holds the query's words, so every mode has
// candidates everywhere and a filter, not the text, decides what may come back.
let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const words = ["ledger", "invoice", "refund", "courier", "parcel", "tariff", "voucher", "rebate", "quota", "audit", "lease", "escrow"];
const text = () => `widget shipping ${Array.from({ length: 12 }, () => words[Math.floor(rand() * words.length)]).join(" ")}`;

const { bot } = await createWorkspaceWithBot(db, { language: "simple" });
const documentIds: string[] = [];
const metadataOf = new Map<string, Record<string, unknown>>();
for (let i = 0; i < 60; i++) {
  const metadata = { team: i < 3 ? "rare" : "common", n: i, tags: i % 2 ? ["odd"] : ["even"], region: i === 41 ? "it's \"north\"" : "south" };
  const { document } = await factories.addDocument(db, bot, {
    name: `doc-${i}.txt`,
    metadata,
    chunks: Array.from({ length: 10 }, text),
    embedder,
  });
  documentIds.push(document.id);
  metadataOf.set(document.id, metadata);
}
// Another tenant whose documents match every filter below: none of them may come back.
const other = await createWorkspaceWithBot(db, { language: "simple" });
const foreign = new Set<string>();
for (let i = 0; i < 3; i++) {
  const { chunkIds } = await factories.addDocument(db, other.bot, {
    metadata: { team: "rare", n: i, tags: ["odd", "even"], region: "south" },
    chunks: Array.from({ length: 10 }, text),
    embedder,
  });
  chunkIds.forEach((id) => foreign.add(id));
}

const query = "widget shipping refund voucher audit";

const filters: [string, MetadataFilter, (m: Record<string, unknown>) => boolean][] = [
  ["3 of 60 documents (eq)", { eq: { key: "team", value: "rare" } }, (m) => m.team === "rare"],
  ["one document (eq on a number)", { eq: { key: "n", value: 41 } }, (m) => m.n === 41],
  [
    "a range and a list (and)",
    { and: [{ range: { key: "n", gte: 10, lt: 20 } }, { eq: { key: "tags", value: "odd" } }] },
    (m) => (m.n as number) >= 10 && (m.n as number) < 20 && (m.tags as string[]).includes("odd"),
  ],
  ["a quoted value (in, or)", { or: [{ in: { key: "region", values: ["it's \"north\""] } }, { eq: { key: "n", value: 0 } }] }, (m) => m.n === 41 || m.n === 0],
];

const walkTheIndex: Partial<RetrievalTuning> = { exactScanMaxChunks: 0, hnswMinShare: 0, exactScanMaxLowShareChunks: 0 };

describe("filtered retrieval", () => {
  for (const [label, filter, matches] of filters) {
    const allowed = new Set(documentIds.filter((id) => matches(metadataOf.get(id)!)));
    const matchingChunks = allowed.size * 10;

    for (const [scan, tuning] of [["exact scan", {}], ["HNSW walk", walkTheIndex]] as const) {
      it(`${label}: every mode returns only matching chunks, k of them (${scan})`, async () => {
        const retrieval = createRetrievalService({ db, embedderFor: async () => embedder, tuning });
        for (const mode of retrievalModes) {
          for (const topK of [5, 25]) {
            const result = await retrieval.retrieve({ bot, query, mode, topK, filter });
            const returned = result.chunks.map((c) => c.documentId);
            expect(returned.filter((id) => !allowed.has(id)), `${mode} top ${topK}`).toEqual([]);
            expect(result.chunks.length, `${mode} top ${topK}`).toBe(Math.min(topK, matchingChunks));
            expect(result.chunks.some((c) => foreign.has(c.chunkId))).toBe(false);
          }
        }
      });
    }

    it(`${label}: the filtered ranking is the unfiltered ranking restricted to matching chunks`, async () => {
      const chunkDocument = new Map<string, string>();
      const rows = await db.query.botDocumentChunks.findMany({ columns: { id: true, documentId: true } });
      for (const r of rows) chunkDocument.set(r.id, r.documentId);
      const keep = (ids: string[], k: number) => ids.filter((id) => allowed.has(chunkDocument.get(id)!)).slice(0, k);

      const [embedding] = await embedder.embed([query]);
      const allVector = await searchChunksByVector(db, { botId: bot.id, embedding: embedding!, limit: 1000, exact: true });
      const allKeyword = await searchChunksByKeyword(db, { botId: bot.id, query, textSearchConfig: "simple", limit: 1000, accumulatePostings: Number.MAX_SAFE_INTEGER });
      for (const k of [1, 10]) {
        const vector = await searchChunksByVector(db, { botId: bot.id, embedding: embedding!, limit: k, exact: true, filter });
        // Equal distances (chunks with the same words) come in any order: compare distances.
        const distanceOf = new Map(allVector.map((h) => [h.id, h.distance.toFixed(9)]));
        expect(vector.map((h) => h.distance.toFixed(9))).toEqual(keep(allVector.map((h) => h.id), k).map((id) => distanceOf.get(id)));
        expect(vector.every((h) => allowed.has(chunkDocument.get(h.id)!))).toBe(true);
        // Accumulating one term's postings leaves the rest to completion (and often a second pass); every pass must filter.
        for (const accumulatePostings of [1, undefined]) {
          const keyword = await searchChunksByKeyword(db, { botId: bot.id, query, textSearchConfig: "simple", limit: k, filter, accumulatePostings });
          expect(keyword.map((h) => h.id), `keyword top ${k}, accumulating ${accumulatePostings}`).toEqual(keep(allKeyword.map((h) => h.id), k));
        }
      }
    });
  }

  it("the HNSW path itself applies the filter (forced onto the index)", async () => {
    const [embedding] = await embedder.embed([query]);
    const filter: MetadataFilter = { range: { key: "n", lt: 30 } };
    const hits = await searchChunksByVector(db, { botId: bot.id, embedding: embedding!, limit: 20, exact: false, forceIndex: true, filter });
    expect(hits).toHaveLength(20);
    const chunkDocument = new Map((await db.query.botDocumentChunks.findMany({ columns: { id: true, documentId: true } })).map((r) => [r.id, r.documentId]));
    for (const h of hits) expect((metadataOf.get(chunkDocument.get(h.id)!)!.n as number) < 30).toBe(true);
  });

  it("finds nothing when only another bot's documents match", async () => {
    const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });
    const result = await retrieval.retrieve({ bot: other.bot, query, mode: "hybrid", topK: 10, filter: { eq: { key: "n", value: 41 } } });
    expect(result.chunks).toEqual([]);
  });
});

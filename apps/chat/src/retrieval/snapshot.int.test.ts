/**
 * Retrieval reads one snapshot of the bot's index. A document re-indexed while clients
 * search (the worker swaps its chunks in one transaction) must show in every response as
 * wholly old or wholly new chunks, never a mix and never fewer than the bot holds: before
 * this, a hybrid search could answer with 0 chunks at the instant a re-index committed,
 * because the legs and the detail lookup ran on different connections at different times.
 */
import * as s from "@docent/db/schema";
import { useTestDatabase } from "@docent/testing/db";
import { addChunks } from "@docent/testing/factories";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createHashEmbedder } from "../../test-support/hash-embedder";
import { createRetrievalService } from "./service";

const { db } = await useTestDatabase();
const embedder = createHashEmbedder();
const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });

const CHUNKS = 40;
const TOP_K = 8;
const SWAPS = 25;
const text = (generation: number, i: number) =>
  `Warranty terms, section ${i}: the blender motor is covered for ${generation + 2} years (edition g${generation}).`;

const { bot } = await createWorkspaceWithBot(db, { ragConfig: { topK: TOP_K } });
const { document } = await addDocument(
  db,
  embedder,
  bot,
  "warranty.txt",
  Array.from({ length: CHUNKS }, (_, i) => text(0, i)),
);

/** The worker's swap: the document's chunks deleted and the new ones inserted, one commit. */
async function reindex(generation: number) {
  const texts = Array.from({ length: CHUNKS }, (_, i) => text(generation, i));
  // Embedded before the transaction, as the worker does, so the swap itself is quick.
  const vectors = await embedder.embed(texts);
  const embedded = { id: embedder.id, embed: async () => vectors };
  await db.transaction(async (tx) => {
    await tx.delete(s.botDocumentChunks).where(eq(s.botDocumentChunks.documentId, document.id));
    await addChunks(tx, document, texts, { embedder: embedded, textSearchConfig: bot.language });
  });
}

describe("retrieval during a re-index", () => {
  it("answers every search with the full top-k of one edition, in every mode", async () => {
    let swapping = true;
    const seen: { mode: string; count: number; editions: string[] }[] = [];
    const poll = async (mode: "vector" | "keyword" | "hybrid") => {
      while (swapping) {
        const result = await retrieval.retrieve({ bot, query: "How long is the blender motor warranty?", mode });
        const editions = [...new Set(result.chunks.map((c) => /\(edition (g\d+)\)/.exec(c.content)?.[1] ?? "none"))];
        seen.push({ mode, count: result.chunks.length, editions });
      }
    };
    const readers = [poll("vector"), poll("keyword"), poll("hybrid")];
    for (let generation = 1; generation <= SWAPS; generation++) await reindex(generation);
    swapping = false;
    await Promise.all(readers);

    expect(seen.length).toBeGreaterThan(SWAPS);
    const inconsistent = seen.filter((r) => r.count !== TOP_K || r.editions.length !== 1);
    expect(inconsistent).toEqual([]);
    // The readers did see the document change under them.
    expect(new Set(seen.map((r) => r.editions[0])).size).toBeGreaterThan(2);
  });
});

/**
 * Packing keyword postings through the retrieval service: a search that reads a common
 * term from the postings index packs it after answering, the next search reads the pack
 * (same answer), and a pack made stale by a new document is not read.
 */
import { PACK_MIN_POSTINGS } from "@docent/db/queries/bm25";
import { useTestDatabase } from "@docent/testing/db";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createHashEmbedder } from "../../test-support/hash-embedder";
import { createRetrievalService } from "./service";

const { db } = await useTestDatabase();
const embedder = createHashEmbedder();
const retrieval = createRetrievalService({ db, embedderFor: async () => embedder });

const { bot } = await createWorkspaceWithBot(db, { ragConfig: { topK: 5 } });
// "harbour" in more chunks than packing asks for; a few chunks say it more often.
const common = Array.from({ length: PACK_MIN_POSTINGS + 50 }, (_, i) => ({
  text: `${i % 97 === 0 ? "harbour harbour harbour" : "harbour"} ledger entry ${i} for the quay ${i % 13}`,
}));
await addDocument(db, embedder, bot, "ledger.txt", common);

const packOf = async (term: string) => {
  const [row] = await db.execute<{ packed: number; current: boolean }>(sql`
    select count(k.term)::int as packed, coalesce(bool_and(k.version = s.version), false) as current
    from bot_term_stats s left join bot_term_packs k on k.bot_id = s.bot_id and k.term = s.term
    where s.bot_id = ${bot.id} and s.term = ${term}`);
  return row!;
};
const search = async () => (await retrieval.retrieve({ bot, query: "harbour", mode: "keyword" })).chunks.map((c) => c.chunkId);

describe("packed keyword postings", () => {
  it("packs a common term after the search that read it from the index, and answers the same from the pack", async () => {
    expect(await packOf("harbour")).toEqual({ packed: 0, current: false });
    const fromIndex = await search();
    expect(fromIndex).toHaveLength(5);
    await retrieval.termPacker.settled();
    expect(await packOf("harbour")).toEqual({ packed: 1, current: true });
    expect(await search()).toEqual(fromIndex);
  });

  it("does not read a pack older than the term's postings", async () => {
    await retrieval.termPacker.settled();
    expect((await packOf("harbour")).current).toBe(true);
    const { document } = await addDocument(db, embedder, bot, "new.txt", [{ text: "harbour harbour harbour harbour harbour harbour" }]);
    expect(await packOf("harbour")).toEqual({ packed: 1, current: false });
    const [newest] = await db.execute<{ id: string }>(sql`select id from bot_document_chunks where document_id = ${document.id}`);
    expect((await search())[0]).toBe(newest!.id);
  });
});

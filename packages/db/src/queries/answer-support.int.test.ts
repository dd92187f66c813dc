/** The evidence strict mode's support gate reads: question words, their IDF, where they occur. */
// Brings in the `inject()` typings of the test fixtures.
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { describe, expect, it } from "vitest";
import * as s from "../schema";
import { getQuestionTermCoverage } from "./answer-support";

const { db } = await useTestDatabase();

const [ws] = await db.insert(s.workspaces).values({ name: "Support", slug: "support" }).returning();
const [bot] = await db.insert(s.bots).values({ workspaceId: ws!.id, name: "Support", publicId: "support-bot" }).returning();
const [doc] = await db.insert(s.botDocuments).values({ botId: bot!.id, name: "notes.md", status: "PROCESSED" }).returning();
const texts = [
  "Our office is in Paris. The warehouse in Lyon ships orders every weekday! Parcels leave before noon.",
  "Refunds are paid within fourteen days. See support.lts for the long-term plan.",
];
const chunks = await db
  .insert(s.botDocumentChunks)
  .values(
    texts.map((content, i) => ({
      botId: bot!.id,
      documentId: doc!.id,
      chunkIndex: i,
      content,
      contentHash: String(i).padStart(64, "0"),
      tokenCount: Math.ceil(content.length / 4),
      metadata: { charStart: 0, charEnd: content.length },
      embedding: Array.from({ length: 768 }, (_, k) => (k === 0 ? 1 : 0)),
      embeddingModel: "test:unit",
      textSearchConfig: "english",
    })),
  )
  .returning();
const [office, refunds] = chunks.map((c) => c!.id) as [string, string];

const coverage = (question: string) =>
  getQuestionTermCoverage(db, { botId: bot!.id, question, textSearchConfig: "english", chunkIds: [office, refunds] });

describe("getQuestionTermCoverage", () => {
  it("gives each question word its positions in the question and the chunks holding it", async () => {
    const c = await coverage("Which warehouse ships the orders?");
    expect(c.terms.map((t) => [t.term, t.positions, t.chunkIds])).toEqual([
      ["order", [5], [office]],
      ["ship", [3], [office]],
      ["warehous", [2], [office]],
    ]);
  });

  it("says in which sentence of a chunk each question word occurs, and where (stop words count)", async () => {
    const c = await coverage("Which warehouse ships the orders?");
    expect(c.sentences.map((h) => [h.chunkId, h.sentence, h.term, h.positions])).toEqual([
      [office, 2, "order", [6]],
      [office, 2, "ship", [5]],
      [office, 2, "warehous", [2]],
    ]);
  });

  it("reads punctuation inside a word as a space, like the coverage", async () => {
    const c = await coverage("Where is LTS support described?");
    expect(c.sentences.filter((h) => h.chunkId === refunds).map((h) => [h.sentence, h.term])).toEqual([
      [2, "lts"],
      [2, "support"],
    ]);
  });

  it("returns no words and no sentences for a question of stop words only", async () => {
    expect(await coverage("What is it?")).toMatchObject({ terms: [], sentences: [] });
  });
});

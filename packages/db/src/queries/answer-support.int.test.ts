/** The evidence strict mode's support gate reads: question words, their IDF, where they occur. */
// Brings in the `inject()` typings of the test fixtures.
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { describe, expect, it } from "vitest";
import { addDocument, createBot, createWorkspace } from "../testing/factories";
import { getQuestionTermCoverage } from "./answer-support";

const { db } = await useTestDatabase();

const ws = await createWorkspace(db);
const bot = await createBot(db, { workspaceId: ws.id });
const { chunkIds } = await addDocument(db, bot, {
  name: "notes.md",
  chunks: [
    "Our office is in Paris. The warehouse in Lyon ships orders every weekday! Parcels leave before noon.",
    "Refunds are paid within fourteen days. See support.lts for the long-term plan.",
  ],
});
const [office, refunds] = chunkIds as [string, string];

const coverage = (question: string) =>
  getQuestionTermCoverage(db, { botId: bot.id, question, textSearchConfig: "english", chunkIds: [office, refunds] });

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

/**
 * BM25 keyword search with MaxScore pruning on real PostgreSQL: the pruned search must
 * return exactly what scoring every chunk that holds any query term returns.
 */
// Brings in the `inject()` typings of the test fixtures.
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { describe, expect, it } from "vitest";
import { addDocument, createBot, createWorkspace } from "../testing/factories";
import { essentialTermCount, searchChunksByKeyword } from "./retrieval";

const { db } = await useTestDatabase();

// A deterministic corpus with Zipf-distributed words: a few words are in most chunks,
// most are rare, as in real text.
let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "din", "pa"];
const vocab = Array.from({ length: 400 }, (_, i) => `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}${syllables[Math.floor(i / 100)]}x`);
const weights = vocab.map((_, i) => 1 / (i + 1));
const total = weights.reduce((a, b) => a + b, 0);
const word = () => {
  let r = rand() * total;
  for (let i = 0; i < vocab.length; i++) if ((r -= weights[i]!) <= 0) return vocab[i]!;
  return vocab[vocab.length - 1]!;
};

const ws = await createWorkspace(db);
const bot = await createBot(db, { workspaceId: ws.id, language: "simple" });
await addDocument(db, bot, {
  name: "corpus.txt",
  chunks: Array.from({ length: 800 }, () => Array.from({ length: 8 + Math.floor(rand() * 40) }, word).join(" ")),
});

const search = (query: string, limit: number, firstPassPostings?: number) =>
  searchChunksByKeyword(db, { botId: bot.id, query, textSearchConfig: "simple", limit, firstPassPostings });

describe("BM25 keyword search with MaxScore pruning", () => {
  it("returns exactly the ranking of exhaustive scoring, whichever pass answers", async () => {
    let compared = 0;
    for (let q = 0; q < 40; q++) {
      // Two or three common words and one to three rarer ones.
      const common = Array.from({ length: 2 + (q % 2) }, () => vocab[Math.floor(rand() * 8)]!);
      const rare = Array.from({ length: 1 + (q % 3) }, () => vocab[40 + Math.floor(rand() * 300)]!);
      const query = [...common, ...rare].join(" ");
      for (const limit of [5, 40]) {
        const exhaustive = await search(query, limit, Number.MAX_SAFE_INTEGER);
        // One posting: the first pass takes only the rarest term, so pruned second
        // passes and first passes that already suffice both occur.
        for (const firstPass of [1, 200, undefined]) {
          const pruned = await search(query, limit, firstPass);
          expect(pruned.map((h) => h.id), `${query} (limit ${limit}, first pass ${firstPass})`).toEqual(exhaustive.map((h) => h.id));
          pruned.forEach((h, i) => expect(h.score).toBeCloseTo(exhaustive[i]!.score, 9));
          compared++;
        }
      }
    }
    expect(compared).toBe(240);
  });

  it("leaves common terms out of candidate selection only while they cannot reach the threshold", () => {
    const terms = [{ bound: 9 }, { bound: 5 }, { bound: 2 }, { bound: 1 }];
    expect(essentialTermCount(terms, 0)).toBe(4);
    expect(essentialTermCount(terms, 1)).toBe(4); // 1 is not below 1
    expect(essentialTermCount(terms, 3.5)).toBe(2); // 1 + 2 < 3.5
    expect(essentialTermCount(terms, 100)).toBe(1); // the rarest always selects
  });

  it("finds nothing for words the bot has never seen, and stays inside the bot", async () => {
    expect(await search("zzqx unknownword", 10)).toEqual([]);
    const other = await createBot(db, { workspaceId: ws.id, name: "Other", language: "simple" });
    expect(await searchChunksByKeyword(db, { botId: other.id, query: vocab[0]!, textSearchConfig: "simple", limit: 10 })).toEqual([]);
  });
});

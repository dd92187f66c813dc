import { describe, expect, it } from "vitest";
import type { QuestionCoverage } from "@docent/db/queries/answer-support";
import { chatEnvSchema } from "../env";
import type { RetrievedChunk } from "../retrieval/types";
import { supportingChunks, supportScores } from "./support";

const STOP = new Set("a an and are at by did do does for from how in is it its of on the to was what when where which who why with".split(" "));
/** Lower-cased words, a plural "s" dropped: a crude stand-in for the english stemmer. */
const words = (text: string): string[] => (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) => (w.length > 3 && !STOP.has(w) ? w.replace(/s$/, "") : w));

/**
 * What getQuestionTermCoverage returns, computed in memory for a bot holding `chunks`:
 * `words` stand in for the stemmed lexemes, stop words keep their positions.
 */
function coverageFor(question: string, chunks: string[], retrieved: number[]): QuestionCoverage {
  const n = chunks.length;
  const q = words(question);
  const terms = [...new Set(q.filter((w) => !STOP.has(w)))].map((term) => {
    const df = chunks.filter((c) => words(c).includes(term)).length;
    return {
      term,
      idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)),
      chunkIds: retrieved.filter((i) => words(chunks[i]!).includes(term)).map((i) => `c${i}`),
      positions: q.flatMap((w, p) => (w === term ? [p + 1] : [])),
    };
  });
  const sentences = retrieved.flatMap((i) =>
    chunks[i]!.split(/(?<=[.!?])\s+/).flatMap((s, k) => {
      const ws = words(s);
      return terms
        .filter((t) => ws.includes(t.term))
        .map((t) => ({ chunkId: `c${i}`, sentence: k + 1, term: t.term, positions: ws.flatMap((w, p) => (w === t.term ? [p + 1] : [])) }));
    }),
  );
  return { chunkCount: n, terms, sentences };
}

const chunk = (i: number, content: string, cosine = 0): RetrievedChunk => ({
  chunkId: `c${i}`,
  documentId: "d",
  documentName: "doc",
  chunkIndex: i,
  content,
  page: null,
  headingPath: [],
  score: 1,
  rank: i + 1,
  vector: { rank: i + 1, score: cosine, distance: 1 - cosine },
});

/** A small bot: a few passages on distinct subjects, then ordinary prose. */
const bot = [
  "The Pro plan costs forty euros per month. It includes email support on weekdays and a shared inbox.",
  "Refunds are paid within fourteen days of a cancellation. The billing team answers refund requests by email.",
  "The warehouse in Lyon ships orders every weekday. Parcels leave the warehouse before noon.",
  "Our office is open on weekdays. The team meets every month to plan the next release.",
  "The release notes list every change of the month. Each release is signed by the team.",
  ...Array.from({ length: 15 }, (_, i) => `Week ${i + 1}: the team answered questions by email and planned the month ahead.`),
];
const policy = { minSupport: chatEnvSchema.parse({}).CHAT_MIN_SUPPORT, minSimilarity: 0.3 };
const ask = (question: string, retrieved: number[], embeddingModel: string | null = "local:lexical-hash-v1", cosine = 0) =>
  supportingChunks(
    retrieved.map((i) => chunk(i, bot[i]!, cosine)),
    coverageFor(question, bot, retrieved),
    embeddingModel,
    policy,
  ).map((c) => c.chunkId);

describe("supportingChunks", () => {
  it("answers from a passage holding the question's rare words in one sentence", () => {
    expect(ask("How much does the Pro plan cost per month?", [0, 3, 4])).toEqual(["c0"]);
    expect(ask("When are refunds paid?", [1, 3])).toEqual(["c1"]);
    expect(ask("Where does the warehouse ship orders from?", [2, 4])).toContain("c2");
  });

  it("refuses when the passages share only the question's common words", () => {
    expect(ask("How many goals did the team score last month?", [3, 4, 5])).toEqual([]);
    expect(ask("Who founded the company's Berlin office?", [3])).toEqual([]);
  });

  it("refuses when the question's subject is a word the bot never uses", () => {
    expect(ask("How much does the Enterprise licence cost for universities?", [0])).toEqual([]);
  });

  it("scores words close together in one sentence above the same words spread apart", () => {
    const together = "The warehouse in Lyon ships orders every weekday.";
    const apart = "Orders are taken by phone. The office is in Lyon. Every weekday the warehouse is cleaned and the van ships.";
    const chunks = [together, apart, ...bot.slice(3)];
    const [a, b] = [...supportScores(["c0", "c1"], coverageFor("Which warehouse ships orders in Lyon?", chunks, [0, 1])).values()];
    expect(a!).toBeGreaterThan(b!);
  });

  it("keeps a second passage that answers the other part of a two-part question", () => {
    const chunks = ["The Pro plan costs forty euros per month.", "The Pro plan includes email support on weekdays."];
    const retrieved = [1, 0].map((i) => chunk(i, chunks[i]!));
    const question = "What does the Pro plan cost and does it include email support?";
    const kept = supportingChunks(retrieved, coverageFor(question, chunks, [1, 0]), null, policy).map((c) => c.chunkId);
    expect(kept).toEqual(["c1", "c0"]);
    // Alone, the pricing passage holds too little of the question to be answered from.
    expect(supportingChunks([chunk(0, chunks[0]!)], coverageFor(question, chunks, [0]), null, policy)).toEqual([]);
  });

  it("supports nothing for a question without content words", () => {
    expect(ask("What is it?", [0, 1])).toEqual([]);
  });

  it("takes a semantic embedder's cosine as support, never the offline embedder's", () => {
    expect(ask("How much is the premium tier?", [0], "openai:text-embedding-3-small", 0.5)).toEqual(["c0"]);
    expect(ask("How much is the premium tier?", [0], "local:lexical-hash-v1", 0.5)).toEqual([]);
  });
});

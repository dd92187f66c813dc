/**
 * Offline synthetic questions from a bot's documents, for a first evaluation set before
 * real questions exist: one per chunk, spread evenly over the documents, formed from the
 * chunk's heading (when its section has one) or its key sentence (the one richest in
 * rare-looking words: long words, names, numbers), asking about that sentence's key
 * terms. Each expects its own chunk. They share words with their chunk by construction,
 * so they flatter keyword search: they are marked synthetic, and the admin shows it.
 *
 * With a language model configured (the workspace's or the platform's), `withModel`
 * asks it for one question per chosen chunk instead, in its own words; those are
 * synthetic too.
 */
import type { EvalExpectation } from "@docent/contracts/json";
import type { Responder } from "../llm/types";

export interface SourceChunk {
  id: string;
  documentId: string;
  content: string;
  metadata: { headingPath?: string[] };
}

export interface GeneratedQuestion {
  question: string;
  expected: EvalExpectation[];
}

const STOP = new Set(
  "about above after again against also among because been before being below between both but could does doing down during each either every from further have having here into itself just more most much must neither other over same should since some such than that their them then there these they this those through under until upon very what when where which while whom whose will with within without would your yours".split(" "),
);

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * How much a word looks like it names something specific: codes mixing letters and
 * digits most, then numbers and capitalised words inside a sentence, then long words.
 */
function weight(word: string, first = false): number {
  if (/^\d[\d.,:%-]*$/.test(word)) return 1.5;
  const lower = word.toLowerCase();
  if (/\p{L}/u.test(word) && /\p{N}/u.test(word)) return 2.5;
  if (lower.length < 4 || STOP.has(lower)) return 0;
  return (!first && /^\p{Lu}/u.test(word) ? 2 : 1) * Math.min(lower.length / 6, 1.5);
}

export function keySentence(text: string): string | null {
  let best: { sentence: string; score: number } | null = null;
  for (const { segment } of sentenceSegmenter.segment(text)) {
    const sentence = segment.replace(/\s+/g, " ").trim();
    if (sentence.length < 30 || sentence.length > 400) continue;
    const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
    const score = words.reduce((sum, w, i) => sum + weight(w, i === 0), 0);
    if (!best || score > best.score) best = { sentence, score };
  }
  return best?.sentence ?? null;
}

/** The sentence's strongest terms, in their order, as a question. */
export function questionFromSentence(sentence: string, terms = 4): string | null {
  const words = (sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).map((w, i) => ({ w, i, s: weight(w, i === 0) }));
  const seen = new Set<string>();
  const top = words
    .filter((x) => x.s > 0 && !seen.has(x.w.toLowerCase()) && seen.add(x.w.toLowerCase()))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, terms)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.w);
  return top.length >= 2 ? `What do the documents say about ${top.join(" ")}?` : null;
}

/** Chunks in round-robin order over their documents, so questions cover every document. */
export function spreadChunks(chunks: SourceChunk[]): SourceChunk[] {
  const byDocument = new Map<string, SourceChunk[]>();
  for (const c of chunks) byDocument.set(c.documentId, [...(byDocument.get(c.documentId) ?? []), c]);
  const queues = [...byDocument.values()];
  const out: SourceChunk[] = [];
  for (let round = 0; queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q[round]) out.push(q[round]!);
  }
  return out;
}

const MODEL_PROMPT =
  "You write test questions for a document search system. Given one passage, write ONE question a user could ask that this passage answers, " +
  "in your own words (do not copy its phrases), without mentioning the passage or the document. Reply with the question only.";

/** One question per chunk from a language model, `concurrency` at a time; unusable replies are skipped. */
export async function generateWithModel(responder: Responder, chunks: SourceChunk[], count: number, concurrency = 4): Promise<GeneratedQuestion[]> {
  const chosen = spreadChunks(chunks).slice(0, count);
  const out: (GeneratedQuestion | null)[] = new Array(chosen.length).fill(null);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < chosen.length) {
        const i = next++;
        const chunk = chosen[i]!;
        const passage = chunk.content.slice(0, 4000);
        const reply = await responder.generate(
          {
            messages: [
              { role: "system", content: MODEL_PROMPT },
              { role: "user", content: passage },
            ],
            question: "",
            sources: [{ index: 1, content: passage, score: 1 }],
            temperature: 0.3,
            maxTokens: 120,
          },
          () => {},
        );
        const question = reply.text.split("\n").map((l) => l.trim().replace(/^["'“]+|["'”]+$/g, "").replace(/^(question|q)\s*[:.-]\s*/i, "")).find(Boolean);
        if (question && question.length >= 8 && question.length <= 400) out[i] = { question, expected: [{ documentId: chunk.documentId, chunkId: chunk.id }] };
      }
    }),
  );
  const seen = new Set<string>();
  return out.filter((q): q is GeneratedQuestion => q !== null && !seen.has(q.question.toLowerCase()) && Boolean(seen.add(q.question.toLowerCase())));
}

export function generateQuestions(chunks: SourceChunk[], count: number): GeneratedQuestion[] {
  // Spread over documents: round-robin across them, in document order.
  const byDocument = new Map<string, SourceChunk[]>();
  for (const c of chunks) byDocument.set(c.documentId, [...(byDocument.get(c.documentId) ?? []), c]);
  const queues = [...byDocument.values()];
  const out: GeneratedQuestion[] = [];
  const asked = new Set<string>();
  const usedHeadings = new Set<string>();
  for (let round = 0; out.length < count && queues.some((q) => q.length > round); round++) {
    for (const queue of queues) {
      if (out.length >= count) break;
      const chunk = queue[round];
      if (!chunk) continue;
      const heading = chunk.metadata.headingPath?.at(-1)?.trim();
      const headingKey = heading ? `${chunk.documentId}:${chunk.metadata.headingPath!.join("/")}` : null;
      let question: string | null;
      if (heading && headingKey && !usedHeadings.has(headingKey) && heading.length >= 3 && heading.length <= 120) {
        usedHeadings.add(headingKey);
        question = `What do the documents say about ${heading.replace(/[?:.]+$/, "")}?`;
      } else {
        const sentence = keySentence(chunk.content);
        question = sentence ? questionFromSentence(sentence) : null;
      }
      if (!question || asked.has(question.toLowerCase())) continue;
      asked.add(question.toLowerCase());
      out.push({ question, expected: [{ documentId: chunk.documentId, chunkId: chunk.id }] });
    }
  }
  return out;
}

/**
 * Replays the offline reader on a dump from bench/dump-reader-requests.ts: containment
 * (refused questions count as misses, as in bench:answers) and answer length, on the
 * tuning half (even positions in the dump) and the held-out half (odd positions).
 *
 * The gate decides before the reader, so a reader change does not change which questions
 * reach it; the replay leaves out the answer service's citation checking. On a dump of every
 * second question it gave 0.774 / 55 words where bench:answers gave 0.773 / 55 on all.
 *
 *   pnpm tsx bench/tune-reader.ts [--in /tmp/reader-requests.json] [--misses 20] [--options '{"clearMargin":0.2}']
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createExtractiveResponder, type ExtractiveOptions } from "../src/llm/extractive";
import type { PromptSource } from "../src/llm/types";
import { answerWords, normalise } from "./squad";

const args = parseArgs({ options: { in: { type: "string", default: "/tmp/reader-requests.json" }, misses: { type: "string", default: "0" }, options: { type: "string" } } }).values;

interface Dumped {
  i: number;
  question: string;
  answers: string[];
  refused: boolean;
  sources: PromptSource[] | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.9 * xs.length)]!;

const dump = JSON.parse(readFileSync(args.in!, "utf8")) as Dumped[];
const reader = createExtractiveResponder(args.options ? (JSON.parse(args.options) as ExtractiveOptions) : {});
const halves = [0, 1].map(() => ({ n: 0, hits: 0, answered: 0, empty: 0, lengths: [] as number[] }));
const misses: string[] = [];
for (const [k, q] of dump.entries()) {
  const h = halves[k % 2]!;
  h.n++;
  if (!q.sources) continue;
  const g = await reader.generate({ messages: [], question: q.question, sources: q.sources, temperature: 0, maxTokens: 0 }, () => {});
  if (!g.text) {
    h.empty++;
    continue;
  }
  h.answered++;
  h.lengths.push(answerWords(g.text));
  const text = normalise(g.text);
  if (q.answers.some((a) => text.includes(normalise(a)))) h.hits++;
  else if (k % 2 === 0 && misses.length < Number(args.misses)) misses.push(`Q: ${q.question}\nGOLD: ${q.answers.join(" | ")}\nA: ${g.text}\n`);
}
for (const [i, h] of halves.entries()) {
  console.log(
    `${i === 0 ? "tune    " : "held-out"} n=${h.n} containment ${(h.hits / h.n).toFixed(3)} of-answered ${(h.hits / h.answered).toFixed(3)} median ${median(h.lengths)} p90 ${p90(h.lengths)}, reader found nothing ${h.empty}`,
  );
}
if (misses.length) console.log(misses.join("\n"));

/**
 * What the SQuAD v1.1 benchmarks share: the dataset's shape and path, a bounded pool, and
 * how answers are scored (SQuAD's normalisation, an offline answer's length in words).
 */
import { EXTRACTIVE_PREFIX } from "../src/llm/extractive";

/** SQuAD v1.1's JSON (the fields the benchmarks read). */
export interface Squad {
  data: {
    title: string;
    paragraphs: { context: string; qas: { id: string; question: string; answers: { answer_start: number; text: string }[] }[] }[];
  }[];
}

/** ../shared/datasets beside the checkout; pass --dataset from anywhere else (a worktree). */
export const defaultSquadPath = new URL("../../../../shared/datasets/squad-v1.1-dev.json", import.meta.url).pathname;

/** Runs `fn` over `items`, at most `concurrency` at once, in order of start. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** SQuAD's official answer normalisation. */
export const normalise = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\b(a|an|the)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** Words of an offline answer: the "From the documents:" prefix, citation markers and code fences not counted. */
export const answerWords = (text: string) =>
  text
    .replace(EXTRACTIVE_PREFIX, "")
    .split(/\s+/)
    .filter((w) => w && !/^\[\d+\][.,;:]?$/.test(w) && !/^```/.test(w)).length;

/** What the SQuAD v1.1 benchmarks share: the dataset's shape and path, and a bounded pool. */

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

/**
 * Hooks for tests that must catch a job mid-way (a crash, a lost lock, a deletion while
 * processing): main.ts applies them only with NODE_ENV=test, and the pipeline knows
 * nothing of them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EmbedderLike } from "./pipeline/embed";

/** `embedder`, pausing `delayMs` before each call, so a job spends long enough embedding to be caught. */
export function slowEmbedder(embedder: EmbedderLike, delayMs: number): EmbedderLike {
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    async embed(texts, options) {
      await sleep(delayMs);
      return embedder.embed(texts, options);
    },
  };
}

type Embedders = {
  embedder: EmbedderLike;
  embedderFor: (workspaceId: string) => Promise<EmbedderLike | undefined>;
};

/** The platform's and the workspaces' embedders slowed down by `delayMs`; unchanged when 0. */
export function withEmbedDelay(embedders: Embedders, delayMs: number): Embedders {
  if (delayMs <= 0) return embedders;
  return {
    embedder: slowEmbedder(embedders.embedder, delayMs),
    embedderFor: async (workspaceId) => {
      const resolved = await embedders.embedderFor(workspaceId);
      return resolved && slowEmbedder(resolved, delayMs);
    },
  };
}

/**
 * A deterministic bag-of-words embedder for tests that need vectors before (or without)
 * `@docent/embeddings`: words hash into 768 buckets, so texts sharing words are close.
 */
import { createHash } from "node:crypto";
import type { QueryEmbedder } from "../src/retrieval/types";

export function createHashEmbedder(id = "local:test-hash"): QueryEmbedder {
  return {
    id,
    dimensions: 768,
    async embed(texts) {
      return texts.map((text) => {
        const v = new Array<number>(768).fill(0);
        for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          const h = createHash("md5").update(word).digest();
          v[h.readUInt16LE(0) % 768]! += h[2]! & 1 ? 1 : -1;
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
}

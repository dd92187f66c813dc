import { describe, expect, it } from "vitest";
import { createLocalEmbedder, embedLexical, LOCAL_EMBEDDER_ID } from "./local";
import { cosineSimilarity } from "./similarity";

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("local lexical embedder", () => {
  const embedder = createLocalEmbedder();

  it("is identified as the local lexical model and makes 768-dimension unit vectors", async () => {
    expect(embedder.id).toBe(LOCAL_EMBEDDER_ID);
    expect(embedder.id).toBe("local:lexical-hash-v1");
    const [a, b] = await embedder.embed(["Refunds are processed within five days.", "Ünïcödé façade – naïve café"]);
    for (const v of [a!, b!]) {
      expect(v).toHaveLength(768);
      expect(norm(v)).toBeCloseTo(1, 10);
      expect(v.every(Number.isFinite)).toBe(true);
    }
  });

  it("is deterministic across calls and embedder instances", async () => {
    const text = "The warehouse ships orders every weekday before noon.";
    const [first] = await embedder.embed([text]);
    const [second] = await createLocalEmbedder().embed([text]);
    expect(second).toEqual(first);
    expect(embedLexical(text)).toEqual(first);
  });

  it("scores texts that share words higher than unrelated ones", () => {
    const query = embedLexical("How do I reset my password?");
    const related = embedLexical("To reset your password, open Settings and choose Reset password.");
    const inflected = embedLexical("Password resets are done from the settings page.");
    const unrelated = embedLexical("Our office in Lisbon closes early on public holidays.");
    expect(cosineSimilarity(query, related)).toBeGreaterThan(cosineSimilarity(query, unrelated) + 0.2);
    expect(cosineSimilarity(query, inflected)).toBeGreaterThan(cosineSimilarity(query, unrelated));
    // Sub-word features: an inflected form still overlaps.
    expect(cosineSimilarity(embedLexical("installation"), embedLexical("install"))).toBeGreaterThan(0.3);
    expect(cosineSimilarity(embedLexical("installation"), embedLexical("holiday"))).toBeLessThan(0.15);
  });

  it("ignores case and accents", () => {
    expect(cosineSimilarity(embedLexical("Café Crème"), embedLexical("cafe creme"))).toBeCloseTo(1, 10);
  });

  it("gives empty or symbol-only text a fixed unit vector, not zeros", async () => {
    const [empty, symbols] = await embedder.embed(["", "--- *** ---"]);
    expect(norm(empty!)).toBeCloseTo(1, 10);
    expect(symbols).toEqual(empty);
  });

  it("keeps the batch order", async () => {
    const texts = ["alpha beta", "gamma delta", "epsilon zeta"];
    const batch = await embedder.embed(texts);
    expect(batch).toEqual(texts.map((t) => embedLexical(t)));
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(["x"], { signal: controller.signal })).rejects.toThrow();
  });
});

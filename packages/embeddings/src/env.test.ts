import { describe, expect, it } from "vitest";
import { embeddingEnvSchema } from "./env";

describe("embedding env", () => {
  it("defaults to the offline local embedder", () => {
    expect(embeddingEnvSchema.parse({})).toMatchObject({
      EMBEDDING_PROVIDER: "local",
      EMBEDDING_BATCH_SIZE: 96,
      EMBEDDING_SEND_DIMENSIONS: "auto",
    });
  });

  it("rejects an unknown provider and a non-http base URL", () => {
    expect(embeddingEnvSchema.safeParse({ EMBEDDING_PROVIDER: "cohere" }).success).toBe(false);
    expect(embeddingEnvSchema.safeParse({ EMBEDDING_BASE_URL: "file:///etc/passwd" }).success).toBe(false);
    expect(embeddingEnvSchema.safeParse({ EMBEDDING_BASE_URL: "http://ollama:11434/v1" }).success).toBe(true);
  });
});

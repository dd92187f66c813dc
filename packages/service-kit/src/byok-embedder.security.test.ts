/**
 * Issue #12 item 1: the embedder the chat service and the worker build from a
 * workspace's settings checks the workspace's base URL when it connects. Without a
 * guarded fetch given, only public addresses are reached.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EmbeddingError } from "@docent/embeddings/errors";
import { afterAll, describe, expect, it } from "vitest";
import { embedderForSettings } from "./byok-embedder";
import { byokAad, createSecretBox, parseKeyRing } from "./crypto/secrets";

const box = createSecretBox(parseKeyRing(`k1:${randomBytes(32).toString("base64")}`));
let requests = 0;
const server = createServer((request, response) => {
  requests++;
  request.resume().on("end", () => response.end("{}"));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("workspace embedder", () => {
  it("does not send the workspace's texts or key to a loopback base URL", async () => {
    const port = (server.address() as AddressInfo).port;
    const embedder = embedderForSettings(
      { env: { EMBEDDING_PROVIDER: "local", EMBEDDING_BASE_URL: undefined, EMBEDDING_API_KEY: undefined, EMBEDDING_MODEL: undefined }, secrets: box },
      "ws-1",
      {
        embeddingProvider: "ollama",
        embeddingBaseUrl: `http://localhost:${port}/v1`,
        embeddingModel: "nomic-embed-text",
        embeddingApiKeyCiphertext: box.seal("sk-ws-secret", byokAad("ws-1", "embedding")),
      },
    );
    const error = await embedder.embed(["hello"]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddingError);
    expect((error as EmbeddingError).message).toMatch(/private or internal network address/);
    expect(requests).toBe(0);
  });
});

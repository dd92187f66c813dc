/**
 * Issue #12 item 1: a workspace's embedding base URL is held to the address policy when
 * the request is made, not only when the URL was saved. The "model server" listens on
 * 127.0.0.1; the platform's own endpoint (env) stays trusted.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedFetch } from "@docent/outbound/dispatcher";
import type { ResolvedAddress } from "@docent/outbound/resolve";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmbeddingError } from "./errors";
import { resolveEmbedder } from "./resolve";

let server: http.Server;
let port = 0;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding: Array(768).fill(0.01) }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
});

const env = {
  EMBEDDING_PROVIDER: "local" as const,
  EMBEDDING_BASE_URL: undefined,
  EMBEDDING_API_KEY: "sk-platform",
  EMBEDDING_MODEL: undefined,
};
const workspace = (baseUrl: string) => ({ provider: "ollama" as const, baseUrl, model: "nomic-embed-text", apiKey: "sk-ws" });

async function embeddingFailure(promise: Promise<unknown>): Promise<EmbeddingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddingError);
  return error as EmbeddingError;
}

describe("workspace embedding base URLs at request time", () => {
  it.each([
    ["a loopback address", () => `http://127.0.0.1:${port}/v1`],
    ["a name that now resolves to loopback", () => `http://localhost:${port}/v1`],
  ])("refuses %s without sending the texts", async (_what, url) => {
    const embedder = resolveEmbedder({ env, workspace: workspace(url()), maxRetries: 0 });
    const error = await embeddingFailure(embedder.embed(["confidential chunk"]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/private or internal network address/);
    expect(error.message).toMatch(/127\.0\.0\.1|::1/);
    expect(error.message).toContain("ALLOW_PRIVATE_MODEL_URLS");
    expect(requests).toBe(0);
  });

  it("refuses a host that was public when saved and is loopback when used (DNS rebinding)", async () => {
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> =>
      calls++ === 0 ? [{ address: "93.184.215.14", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
    const guarded = createGuardedFetch({ lookup: rebinding });
    try {
      await rebinding(); // the save-time check saw 93.184.215.14
      const embedder = resolveEmbedder({
        env,
        workspace: workspace(`http://models.example.test:${port}/v1`),
        workspaceFetch: guarded.fetch,
        maxRetries: 0,
      });
      const error = await embeddingFailure(embedder.embed(["confidential chunk"]));
      expect(error.message).toContain("(127.0.0.1)");
    } finally {
      await guarded.close();
    }
    expect(requests).toBe(0);
  });

  it("reaches a private model server when the operator allows private model URLs", async () => {
    const guarded = createGuardedFetch({ allowPrivate: true });
    try {
      const embedder = resolveEmbedder({ env, workspace: workspace(`http://127.0.0.1:${port}/v1`), workspaceFetch: guarded.fetch, maxRetries: 0 });
      expect(await embedder.embed(["hello"])).toHaveLength(1);
    } finally {
      await guarded.close();
    }
    expect(requests).toBe(1);
  });

  it("trusts the platform's own endpoint from env, loopback included", async () => {
    const embedder = resolveEmbedder({
      env: { ...env, EMBEDDING_PROVIDER: "ollama", EMBEDDING_BASE_URL: `http://127.0.0.1:${port}/v1`, EMBEDDING_MODEL: "nomic-embed-text" },
      maxRetries: 0,
    });
    expect(await embedder.embed(["hello"])).toHaveLength(1);
    expect(requests).toBe(1);
  });
});

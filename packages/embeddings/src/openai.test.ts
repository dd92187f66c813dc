import http from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedFetch } from "@docent/outbound/dispatcher";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmbeddingDimensionError, EmbeddingError } from "./errors";
import { createOpenAIEmbedder } from "./openai";
import { resolveEmbedder } from "./resolve";

interface Received {
  model: string;
  input: string[];
  dimensions?: number;
  encoding_format?: string;
  authorization?: string;
}

/** A small server speaking the OpenAI embeddings wire format; the model name picks its behaviour. */
let server: http.Server;
let baseURL = "";
let received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (part: Buffer) => (body += part.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(body) as Received;
      received.push({ ...request, authorization: req.headers.authorization });
      const json = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (request.model === "rate-limited") {
        json(429, { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } });
        return;
      }
      if (request.model === "unauthorized") {
        json(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
        return;
      }
      if (request.model === "broken") {
        json(500, { error: { message: "boom" } });
        return;
      }
      const size = request.model === "wrong-1536" ? 1536 : (request.dimensions ?? 768);
      const data = request.input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: Array.from({ length: size }, (_, i) => (i === text.length % size ? 1 : 0)),
      }));
      // Answer out of order: the client must sort by index.
      json(200, { object: "list", model: request.model, data: data.reverse(), usage: { prompt_tokens: 1, total_tokens: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

/** Workspace base URLs go through the address policy; this test server is the one exception. */
const testServerOnly = createGuardedFetch({ allowAddress: (address) => address === "127.0.0.1" });

afterAll(async () => {
  await testServerOnly.close();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

async function failure(promise: Promise<unknown>): Promise<EmbeddingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddingError);
  return error as EmbeddingError;
}

describe("OpenAI-compatible embedder", () => {
  it("embeds in batches, in input order, with the key and the 768 dimensions parameter", async () => {
    const embedder = createOpenAIEmbedder({
      baseURL,
      apiKey: "sk-test-key",
      model: "text-embedding-3-small",
      batchSize: 2,
      sendDimensions: true,
      maxRetries: 0,
    });
    expect(embedder.id).toBe("openai:text-embedding-3-small");
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await embedder.embed(texts);
    expect(received.map((r) => r.input)).toEqual([["a", "bb"], ["ccc", "dddd"], ["eeeee"]]);
    expect(received.every((r) => r.dimensions === 768 && r.encoding_format === "float")).toBe(true);
    expect(received[0]!.authorization).toBe("Bearer sk-test-key");
    expect(vectors).toHaveLength(5);
    vectors.forEach((v, i) => {
      expect(v).toHaveLength(768);
      expect(v.indexOf(1)).toBe(texts[i]!.length);
    });
  });

  it("does not send dimensions unless asked (Ollama-style models)", async () => {
    const embedder = createOpenAIEmbedder({ baseURL, apiKey: "x", model: "nomic-embed-text", provider: "ollama", maxRetries: 0 });
    expect(embedder.id).toBe("ollama:nomic-embed-text");
    await embedder.embed(["hello"]);
    expect(received[0]!.dimensions).toBeUndefined();
  });

  it("fails without retry when the model returns another dimension, naming model and size", async () => {
    const embedder = createOpenAIEmbedder({ baseURL, apiKey: "x", model: "wrong-1536", maxRetries: 0 });
    const error = await failure(embedder.embed(["hello"]));
    expect(error).toBeInstanceOf(EmbeddingDimensionError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('"wrong-1536"');
    expect(error.message).toContain("1536 dimensions");
    expect(error.message).toContain("768");
  });

  it("marks 429 and 5xx as retryable", async () => {
    const limited = await failure(createOpenAIEmbedder({ baseURL, apiKey: "x", model: "rate-limited", maxRetries: 0 }).embed(["a"]));
    expect(limited.retryable).toBe(true);
    expect(limited.providerStatus).toBe(429);
    expect(limited.message).toMatch(/429/);
    const broken = await failure(createOpenAIEmbedder({ baseURL, apiKey: "x", model: "broken", maxRetries: 0 }).embed(["a"]));
    expect(broken.retryable).toBe(true);
  });

  it("marks a refused key as not retryable", async () => {
    const error = await failure(createOpenAIEmbedder({ baseURL, apiKey: "bad", model: "unauthorized", maxRetries: 0 }).embed(["a"]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/API key was refused/);
  });

  it("marks an unreachable endpoint as retryable", async () => {
    const embedder = createOpenAIEmbedder({ baseURL: "http://127.0.0.1:1/v1", apiKey: "x", model: "m", maxRetries: 0 });
    const error = await failure(embedder.embed(["a"]));
    expect(error.retryable).toBe(true);
  });
});

describe("resolveEmbedder", () => {
  const platformOpenAI = {
    EMBEDDING_PROVIDER: "openai" as const,
    EMBEDDING_BASE_URL: undefined,
    EMBEDDING_API_KEY: "sk-platform",
    EMBEDDING_MODEL: "text-embedding-3-small",
  };

  it("uses the local embedder by default", () => {
    const embedder = resolveEmbedder({
      env: { EMBEDDING_PROVIDER: "local", EMBEDDING_BASE_URL: undefined, EMBEDDING_API_KEY: undefined, EMBEDDING_MODEL: undefined },
    });
    expect(embedder.id).toBe("local:lexical-hash-v1");
  });

  it("uses the platform's OpenAI-compatible settings, sending dimensions for text-embedding-3-*", async () => {
    const embedder = resolveEmbedder({ env: { ...platformOpenAI, EMBEDDING_BASE_URL: baseURL }, maxRetries: 0 });
    expect(embedder.id).toBe("openai:text-embedding-3-small");
    await embedder.embed(["x"]);
    expect(received[0]).toMatchObject({ model: "text-embedding-3-small", dimensions: 768, authorization: "Bearer sk-platform" });
  });

  it("lets a workspace's own provider, model and key override the platform", async () => {
    const embedder = resolveEmbedder({
      env: platformOpenAI,
      workspace: { provider: "ollama", baseUrl: baseURL, model: "nomic-embed-text", apiKey: "sk-workspace" },
      workspaceFetch: testServerOnly.fetch,
      maxRetries: 0,
    });
    expect(embedder.id).toBe("ollama:nomic-embed-text");
    await embedder.embed(["x"]);
    expect(received[0]).toMatchObject({ model: "nomic-embed-text", authorization: "Bearer sk-workspace" });
    expect(received[0]!.dimensions).toBeUndefined();
  });

  it("never sends the platform key to a base URL the workspace chose", async () => {
    const embedder = resolveEmbedder({
      env: platformOpenAI,
      workspace: { provider: "openai_compatible", baseUrl: baseURL, model: "nomic-embed-text", apiKey: null },
      workspaceFetch: testServerOnly.fetch,
      maxRetries: 0,
    });
    await embedder.embed(["x"]);
    expect(received[0]!.authorization).not.toContain("sk-platform");
  });

  it("lets a workspace choose the local embedder even when the platform uses OpenAI", () => {
    expect(resolveEmbedder({ env: platformOpenAI, workspace: { provider: "local" } }).id).toBe("local:lexical-hash-v1");
  });
});

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { sharedGuardedFetch } from "@docent/outbound";
import { afterAll, describe, expect, it } from "vitest";
import { embedderForSettings, type EmbeddingSettings } from "./byok-embedder";
import { WorkspaceKeyError } from "./workspace-keys";
import { byokAad, createSecretBox, parseKeyRing } from "./crypto/secrets";

const box = createSecretBox(parseKeyRing(`k1:${randomBytes(32).toString("base64")}`));
const localPlatform = {
  EMBEDDING_PROVIDER: "local" as const,
  EMBEDDING_BASE_URL: undefined,
  EMBEDDING_API_KEY: "sk-platform",
  EMBEDDING_MODEL: undefined,
};

// An OpenAI-compatible endpoint that records who called it.
const seen: string[] = [];
const server = createServer((request: IncomingMessage, response) => {
  seen.push(request.headers.authorization ?? "");
  request.resume().on("end", () => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ object: "list", model: "m", data: [{ object: "embedding", index: 0, embedding: new Array(768).fill(0.01) }] }));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

const byok = (workspaceId: string, key: string | null): EmbeddingSettings => ({
  embeddingProvider: "openai_compatible",
  embeddingBaseUrl: baseUrl,
  embeddingModel: "nomic-embed-text",
  embeddingApiKeyCiphertext: key === null ? null : box.seal(key, byokAad(workspaceId, "embedding")),
});

describe("embedderForSettings", () => {
  it("uses the platform embedder when the workspace has no settings or no provider", () => {
    const deps = { env: localPlatform, secrets: box };
    expect(embedderForSettings(deps, "ws-1", undefined).id).toBe("local:lexical-hash-v1");
    const noProvider = { ...byok("ws-1", "sk-ws"), embeddingProvider: null };
    expect(embedderForSettings(deps, "ws-1", noProvider).id).toBe("local:lexical-hash-v1");
  });

  it("embeds with the workspace's provider, model and decrypted key", async () => {
    // The test endpoint is on 127.0.0.1: allowed as with ALLOW_PRIVATE_MODEL_URLS=true.
    const workspaceFetch = sharedGuardedFetch(true);
    const embedder = embedderForSettings({ env: localPlatform, secrets: box, workspaceFetch }, "ws-1", byok("ws-1", "sk-ws-one"));
    expect(embedder.id).toBe("openai_compatible:nomic-embed-text");
    const before = seen.length;
    await embedder.embed(["hello"]);
    expect(seen.slice(before)).toEqual(["Bearer sk-ws-one"]);
  });

  it("says the server has no key ring when a workspace's key is stored", () => {
    const run = () => embedderForSettings({ env: localPlatform, secrets: null }, "ws-1", byok("ws-1", "sk-ws"));
    expect(run).toThrow(WorkspaceKeyError);
    expect(run).toThrow(/DOCENT_ENCRYPTION_KEYS is not set/);
    // An AppError the error handler answers as it is: a 500 whose message is shown, not retryable.
    expect(thrown(run)).toMatchObject({
      code: "ENCRYPTION_NOT_CONFIGURED",
      statusCode: 500,
      expose: true,
      retryable: false,
    });
  });

  it("needs no key ring for a workspace that stored no key", () => {
    expect(embedderForSettings({ env: localPlatform, secrets: null }, "ws-1", byok("ws-1", null)).id).toBe(
      "openai_compatible:nomic-embed-text",
    );
  });

  it("refuses a key sealed for another workspace, with a readable message", () => {
    const run = () => embedderForSettings({ env: localPlatform, secrets: box }, "ws-2", byok("ws-1", "sk-ws"));
    expect(run).toThrow(WorkspaceKeyError);
    expect(run).toThrow(/cannot be decrypted; enter it again/);
  });
});

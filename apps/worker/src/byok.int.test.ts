/**
 * BYOK embeddings in the worker: a workspace with its own embedding settings has its
 * chunks embedded by its own OpenAI-compatible endpoint with its own key (the same
 * resolution the chat service uses for questions), a workspace without settings gets the
 * platform embedder, and a stored key the worker cannot open fails the document at once.
 *
 * Settings are written straight to tenant_settings with a loopback base URL, as the API
 * stores them when ALLOW_PRIVATE_MODEL_URLS=true; the worker needs the same flag to call
 * it (byok.security.int.test.ts shows the refusal without it).
 */
import { randomBytes } from "node:crypto";
import { parseEnv } from "@docent/config/env";
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { createLocalEmbedder, resolveEmbedder } from "@docent/embeddings";
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddingServer, hashVector } from "../test/embedding-server";
import { longMarkdown } from "../test/fixtures";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { workerEnvSchema } from "./env";
import { workspaceEmbedderFor } from "./worker";

const embeddings = await startEmbeddingServer();
afterAll(() => embeddings.close());
const keyRing = `k1:${randomBytes(32).toString("base64")}`;
const box = createSecretBox(parseKeyRing(keyRing));
const PLATFORM_KEY = "sk-platform-must-never-leave";

/** A rig whose worker resolves embedders from env exactly as main.ts does. */
async function startRig(extraEnv: Record<string, string>) {
  const env = parseEnv(workerEnvSchema, {
    EMBEDDING_PROVIDER: "local",
    EMBEDDING_API_KEY: PLATFORM_KEY,
    ALLOW_PRIVATE_MODEL_URLS: "true",
    ...extraEnv,
  });
  const rig = await createRig({
    embedder: resolveEmbedder({ env }),
    // The rig makes the database first; no job runs before `embedderFor` below is set.
    embedderFor: (workspaceId) => embedderFor(workspaceId),
  });
  const embedderFor = workspaceEmbedderFor(rig.database.db, env);
  return rig;
}

type Rig = Awaited<ReturnType<typeof startRig>>;

async function byokWorkspace(rig: Rig, apiKey: string, model = "byok-embed-v1") {
  const seeded = await seedBot(rig.database.db, { chunkSize: 120, chunkOverlap: 20 });
  await upsertTenantSettings(rig.database.db, seeded.workspace.id, {
    embeddingProvider: "openai_compatible",
    embeddingBaseUrl: embeddings.baseUrl,
    embeddingModel: model,
    embeddingApiKeyCiphertext: box.seal(apiKey, byokAad(seeded.workspace.id, "embedding")),
    embeddingApiKeyHint: "sk-...",
  });
  return seeded;
}

async function chunksOf(rig: Rig, documentId: string) {
  return rig.database.sql<{ content: string; model: string; embedding: string }[]>`
    select content, embedding_model as model, embedding::text as embedding
      from bot_document_chunks where document_id = ${documentId} order by chunk_index`;
}

const asFloat32 = (vector: string | number[]) =>
  Float32Array.from(typeof vector === "string" ? (JSON.parse(vector) as number[]) : vector);

const rig = await startRig({ DOCENT_ENCRYPTION_KEYS: keyRing });
const a = await byokWorkspace(rig, "sk-workspace-a");
const b = await seedBot(rig.database.db, { chunkSize: 120, chunkOverlap: 20 });
// Its key is sealed with the same key ring, but this worker is started without one.
const lockedRig = await startRig({});
const locked = await byokWorkspace(lockedRig, "sk-workspace-locked");
const text = longMarkdown(2);

describe("with DOCENT_ENCRYPTION_KEYS", () => {
  it("embeds workspace A's chunks with A's endpoint, model and key, and B's with the platform embedder", async () => {
    const before = embeddings.calls.length;
    const docA = await rig.documents.addText({ botId: a.bot.id, name: "a-notes", text });
    expect(await waitForDocument(rig.database.sql, docA.id, settled)).toMatchObject({ status: "PROCESSED" });
    const callsForA = embeddings.calls.slice(before);
    expect(callsForA.length).toBeGreaterThan(0);
    for (const call of callsForA) {
      expect(call.authorization).toBe("Bearer sk-workspace-a");
      expect(call.model).toBe("byok-embed-v1");
    }
    const chunksA = await chunksOf(rig, docA.id);
    expect(chunksA.length).toBeGreaterThan(1);
    expect(callsForA.flatMap((c) => c.input).sort()).toEqual(chunksA.map((c) => c.content).sort());
    for (const chunk of chunksA) {
      expect(chunk.model).toBe("openai_compatible:byok-embed-v1");
      expect(asFloat32(chunk.embedding)).toEqual(asFloat32(hashVector(chunk.content)));
    }

    const afterA = embeddings.calls.length;
    const docB = await rig.documents.addText({ botId: b.bot.id, name: "b-notes", text });
    expect(await waitForDocument(rig.database.sql, docB.id, settled)).toMatchObject({ status: "PROCESSED" });
    expect(embeddings.calls.length).toBe(afterA);
    const chunksB = await chunksOf(rig, docB.id);
    const local = createLocalEmbedder();
    const localVectors = await local.embed(chunksB.map((c) => c.content));
    chunksB.forEach((chunk, i) => {
      expect(chunk.model).toBe(local.id);
      expect(asFloat32(chunk.embedding)).toEqual(asFloat32(localVectors[i]!));
    });

    expect(embeddings.calls.some((c) => c.authorization?.includes(PLATFORM_KEY))).toBe(false);
  });

  it("re-index reuses vectors of the same model and re-embeds everything after a model change", async () => {
    const doc = await rig.documents.addText({ botId: a.bot.id, name: "a-reindex", text });
    await waitForDocument(rig.database.sql, doc.id, settled);
    const total = (await chunksOf(rig, doc.id)).length;

    const before = embeddings.calls.length;
    await rig.documents.reindex(a.bot.id, doc.id);
    await waitForDocument(rig.database.sql, doc.id, (r) => r.version === 2 && settled(r));
    expect(embeddings.calls.length).toBe(before);

    await upsertTenantSettings(rig.database.db, a.workspace.id, { embeddingModel: "byok-embed-v2" });
    await rig.documents.reindex(a.bot.id, doc.id);
    expect(await waitForDocument(rig.database.sql, doc.id, (r) => r.version === 3 && settled(r))).toMatchObject({
      status: "PROCESSED",
    });
    const calls = embeddings.calls.slice(before);
    expect(calls.every((c) => c.model === "byok-embed-v2")).toBe(true);
    expect(calls.flatMap((c) => c.input)).toHaveLength(total);
    const chunks = await chunksOf(rig, doc.id);
    expect(new Set(chunks.map((c) => c.model))).toEqual(new Set(["openai_compatible:byok-embed-v2"]));
  });
});

describe("without DOCENT_ENCRYPTION_KEYS", () => {
  it("fails a BYOK workspace's document after one attempt, saying why", async () => {
    const before = embeddings.calls.length;
    const doc = await lockedRig.documents.addText({ botId: locked.bot.id, name: "locked", text: "Nobody can read this key." });
    const row = await waitForDocument(lockedRig.database.sql, doc.id, settled);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toBe("This server cannot read workspace API keys: DOCENT_ENCRYPTION_KEYS is not set");
    const job = await finishedJob(lockedRig.queue, doc.id);
    expect(job.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe("failed");
    expect(embeddings.calls.length).toBe(before);
  });
});

describe("worker env", () => {
  it("refuses a malformed key ring, naming the variable", () => {
    expect(() => parseEnv(workerEnvSchema, { DOCENT_ENCRYPTION_KEYS: "not-a-key-ring" })).toThrow(/DOCENT_ENCRYPTION_KEYS/);
    expect(parseEnv(workerEnvSchema, { DOCENT_ENCRYPTION_KEYS: keyRing }).DOCENT_ENCRYPTION_KEYS).toBe(keyRing);
  });
});

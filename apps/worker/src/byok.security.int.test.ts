/**
 * Issue #12 item 1: the worker holds a workspace's embedding base URL to the address
 * policy when it connects, not only when the API saved it. The URL below names
 * `localhost` (as if its DNS had answered a public address when it was saved); the worker
 * resolves it to loopback when it embeds, refuses, and fails the document at once with
 * the reason. The embedding server on 127.0.0.1 never sees the workspace's chunks.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseEnv } from "@docent/config/env";
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { afterAll, describe, expect, it } from "vitest";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { workerEnvSchema } from "./env";
import { workspaceEmbedderFor } from "./worker";

let calls = 0;
const server = createServer((request, response) => {
  calls++;
  request.resume().on("end", () => response.writeHead(500).end());
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const port = (server.address() as AddressInfo).port;

const keyRing = `k1:${randomBytes(32).toString("base64")}`;
const box = createSecretBox(parseKeyRing(keyRing));
const env = parseEnv(workerEnvSchema, { EMBEDDING_PROVIDER: "local", DOCENT_ENCRYPTION_KEYS: keyRing });
const rig = await createRig({ embedderFor: (workspaceId) => embedderFor(workspaceId) });
const embedderFor = workspaceEmbedderFor(rig.database.db, env);

describe("worker: workspace embedding base URL checked at connect time", () => {
  it("fails the document without sending its text to a base URL that now resolves to loopback", async () => {
    expect(env.ALLOW_PRIVATE_MODEL_URLS).toBe(false);
    const { workspace, bot } = await seedBot(rig.database.db);
    await upsertTenantSettings(rig.database.db, workspace.id, {
      embeddingProvider: "ollama",
      embeddingBaseUrl: `http://localhost:${port}/v1`,
      embeddingModel: "nomic-embed-text",
      embeddingApiKeyCiphertext: box.seal("sk-workspace-secret", byokAad(workspace.id, "embedding")),
      embeddingApiKeyHint: "sk-...cret",
    });
    const doc = await rig.documents.addText({ botId: bot.id, name: "payroll", text: "Salaries are paid on the 25th." });
    const row = await waitForDocument(rig.database.sql, doc.id, settled);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toMatch(/embedding base URL is not allowed: localhost resolves to a private or internal network address/);
    expect(row.errorMessage).toContain("ALLOW_PRIVATE_MODEL_URLS");
    const job = await finishedJob(rig.queue, doc.id);
    expect(job.attemptsMade).toBe(1);
    expect(calls).toBe(0);
  });
});

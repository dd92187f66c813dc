/**
 * Issue #12 items 1 and 2 in the chat service (through the OpenAI-compatible endpoint,
 * whose errors are OpenAI-shaped: `{ error: { message, code } }`): a workspace's model base URL is held to
 * the address policy when the chat service connects, not only when the API saved it.
 *
 * The API refuses a loopback URL when it is saved, so the attack is a name whose DNS
 * answered a public address then and answers 127.0.0.1 now (rebinding). Here `localhost`
 * plays that name through the system resolver, and `models.example.test` through an
 * injected one. The test LLM server on 127.0.0.1 must not receive the prompt.
 */
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { createGuardedFetch } from "@docent/outbound/dispatcher";
import { resolveAllowedAddresses, type ResolvedAddress } from "@docent/outbound/resolve";
import { byokAad } from "@docent/service-kit/crypto/secrets";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, testKeyRing, useChatTestServices } from "../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../test-support/fixtures";
import { startTestLlmServer } from "../test-support/llm-server";

const { db, redis, embedder } = await useChatTestServices();
const { keyRing, box } = testKeyRing();
const llm = await startTestLlmServer({ apiKey: "sk-workspace-secret" });
const llmPort = Number(new URL(llm.baseUrl).port);

/** The injected resolver: public for the save-time check, loopback afterwards. */
let lookups = 0;
const rebinding = async (): Promise<ResolvedAddress[]> =>
  lookups++ === 0 ? [{ address: "93.184.215.14", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
const rebindingFetch = createGuardedFetch({ lookup: rebinding });

const strict = await buildTestApp(db, redis, { DOCENT_ENCRYPTION_KEYS: keyRing });
const injected = await buildTestApp(db, redis, { DOCENT_ENCRYPTION_KEYS: keyRing }, { workspaceFetch: rebindingFetch.fetch });
const permissive = await buildTestApp(db, redis, { DOCENT_ENCRYPTION_KEYS: keyRing, ALLOW_PRIVATE_MODEL_URLS: "true" });
afterAll(async () => {
  await Promise.all([strict.close(), injected.close(), permissive.close()]);
  await rebindingFetch.close();
  await llm.close();
});
beforeEach(async () => {
  await redis.flush();
  llm.requests.length = 0;
});

async function workspaceWithLlm(settings: { provider: "openai_compatible" | "ollama" | "lmstudio" | "vllm"; baseUrl: string | null }) {
  const { workspace, bot } = await createWorkspaceWithBot(db.db, { name: "Payroll" });
  await addDocument(db.db, embedder, bot, "payroll.md", ["Salaries are paid on the 25th of each month."]);
  await upsertTenantSettings(db.db, workspace.id, {
    llmProvider: settings.provider,
    llmBaseUrl: settings.baseUrl,
    llmModel: "workspace-model",
    llmApiKeyCiphertext: box.seal("sk-workspace-secret", byokAad(workspace.id, "llm")),
    llmApiKeyHint: "sk-...cret",
  });
  return { workspace, bot, apiKey: await createTestApiKey(db.db, workspace.id) };
}

function ask(app: typeof strict, bot: { id: string }, apiKey: string) {
  return app.inject({
    method: "POST",
    url: "/v1/chat/completions",
    headers: { authorization: `Bearer ${apiKey}` },
    payload: { model: bot.id, messages: [{ role: "user", content: "When are salaries paid?" }] },
  });
}

describe("workspace LLM base URL at connect time", () => {
  it("does not send the prompt to a saved URL whose name now resolves to 127.0.0.1", async () => {
    const { bot, apiKey } = await workspaceWithLlm({ provider: "openai_compatible", baseUrl: `http://localhost:${llmPort}/v1` });
    const res = await ask(strict, bot, apiKey);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: "llm_url_refused" });
    expect(res.json().error.message).toMatch(/localhost resolves to a private or internal network address/);
    expect(llm.requests).toHaveLength(0);
  });

  it("refuses at connect time a host that passed the save-time check (injected rebinding resolver)", async () => {
    const baseUrl = `http://models.example.test:${llmPort}/v1`;
    // What the API's save-time check saw.
    await expect(resolveAllowedAddresses("models.example.test", llmPort, { lookup: rebinding })).resolves.toHaveLength(1);
    const { bot, apiKey } = await workspaceWithLlm({ provider: "openai_compatible", baseUrl });
    const res = await ask(injected, bot, apiKey);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.message).toContain("(127.0.0.1)");
    expect(lookups).toBeGreaterThanOrEqual(2);
    expect(llm.requests).toHaveLength(0);
  });

  it("reaches the same server when the operator allows private model URLs", async () => {
    const { bot, apiKey } = await workspaceWithLlm({ provider: "openai_compatible", baseUrl: `http://localhost:${llmPort}/v1` });
    const res = await ask(permissive, bot, apiKey);
    expect(res.statusCode, res.body).toBe(200);
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.authorization).toBe("Bearer sk-workspace-secret");
  });
});

describe("workspace providers without a base URL (item 2)", () => {
  it.each(["ollama", "lmstudio", "vllm"] as const)("%s without a base URL is not sent to a loopback default", async (provider) => {
    const { bot, apiKey } = await workspaceWithLlm({ provider, baseUrl: null });
    const res = await ask(permissive, bot, apiKey);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: "llm_not_configured" });
    expect(res.json().error.message).toMatch(/no base URL/);
  });
});

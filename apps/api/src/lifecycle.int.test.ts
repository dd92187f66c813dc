/**
 * The whole admin journey through the HTTP API on real Postgres and Redis: sign up, create
 * a workspace, a bot from a template, prompt versions and activation, widget, allowed
 * origins, BYOK settings, usage, and an API key created, used and revoked.
 */
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { bots, botPrompts, tenantSettings } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, keyClient, signUp } from "./testing/harness";

const api = await createTestApi();
const { app, db } = api;

describe("bot lifecycle", async () => {
  const owner = await signUp(app, "owner");
  let workspaceId = "";
  let botId = "";
  const ws = () => `/v1/workspaces/${workspaceId}`;

  it("signs up with a personal workspace and reports the current user", async () => {
    const me = await owner.request("GET", "/v1/auth/me");
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(owner.email);
    expect(me.json().workspaces).toEqual([expect.objectContaining({ isPersonal: true, role: "OWNER" })]);
    expect(me.json().csrfToken).toBe(owner.csrfToken);
  });

  it("creates a workspace on the Free plan with the caller as OWNER", async () => {
    const created = await owner.request("POST", "/v1/workspaces", { name: "Acme Support" });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: "Acme Support", role: "OWNER", isPersonal: false });
    workspaceId = created.json().id;
    const list = await owner.request("GET", "/v1/workspaces");
    expect(list.json().items.map((w: { id: string }) => w.id)).toContain(workspaceId);
    const usage = await owner.request("GET", `${ws()}/usage`);
    expect(usage.json().plan.code).toBe("free");
    expect(usage.json().usage.bots).toEqual({ used: 0, limit: 1 });
  });

  it("lists the four seeded templates", async () => {
    const templates = await owner.request("GET", "/v1/templates");
    expect(templates.statusCode).toBe(200);
    expect(templates.json().items.map((t: { slug: string }) => t.slug).sort()).toEqual([
      "customer-support",
      "documentation-assistant",
      "internal-knowledge-base",
      "sales-faq",
    ]);
    for (const t of templates.json().items) {
      expect(t.sampleSystemPrompt).toBeTruthy();
      expect(t.sampleQueries.length).toBeGreaterThan(0);
      expect(t.defaultRagConfig.chunkSize).toBeGreaterThanOrEqual(100);
    }
  });

  it("creates a bot from a template with its RAG defaults and an active sample prompt", async () => {
    const templates = (await owner.request("GET", "/v1/templates")).json().items;
    const docs = templates.find((t: { slug: string }) => t.slug === "documentation-assistant");
    const created = await owner.request("POST", `${ws()}/bots`, {
      name: "Docs bot",
      templateId: docs.id,
      ragConfig: { topK: 7 },
    });
    expect(created.statusCode).toBe(201);
    const bot = created.json();
    botId = bot.id;
    expect(bot.ragConfig).toMatchObject({ chunkSize: docs.defaultRagConfig.chunkSize, topK: 7 });
    expect(bot.publicId).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(bot.activePromptId).toBeTruthy();
    const prompts = (await owner.request("GET", `${ws()}/bots/${botId}/prompts`)).json().items;
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ version: 1, isActive: true, content: docs.sampleSystemPrompt });
  });

  it("refuses a second bot on the Free plan with a 402 naming the limit", async () => {
    const second = await owner.request("POST", `${ws()}/bots`, { name: "Another" });
    expect(second.statusCode).toBe(402);
    const body = errorBody(second);
    expect(body.error).toBe("QUOTA_EXCEEDED");
    expect(body.message).toBe("Limit reached: 1 bot on the Free plan.");
    expect(body.details).toMatchObject({ limit: "bots", max: 1, current: 1 });
  });

  it("validates rag_config bounds and refuses advanced settings on the Free plan", async () => {
    const overlap = await owner.request("PATCH", `${ws()}/bots/${botId}`, { ragConfig: { chunkSize: 200, chunkOverlap: 200 } });
    expect(overlap.statusCode).toBe(400);
    expect(errorBody(overlap).details?.issues).toEqual([
      expect.objectContaining({ path: "body.ragConfig.chunkOverlap" }),
    ]);
    for (const bad of [{ chunkSize: 99 }, { chunkSize: 4001 }, { topK: 0 }, { topK: 51 }, { minScore: 1.5 }, { retrievalMode: "semantic" }]) {
      const response = await owner.request("PATCH", `${ws()}/bots/${botId}`, { ragConfig: bad });
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(errorBody(response).details?.issues?.[0]?.path).toMatch(/^body\.ragConfig\./);
    }
    const advanced = await owner.request("PATCH", `${ws()}/bots/${botId}`, { ragConfig: { retrievalMode: "vector" } });
    expect(advanced.statusCode).toBe(402);
    expect(errorBody(advanced).message).toBe(
      "Retrieval tuning (ragConfig.retrievalMode) is not included in the Free plan; move to a plan that includes it.",
    );
    const ok = await owner.request("PATCH", `${ws()}/bots/${botId}`, { name: "Docs assistant", ragConfig: { chunkSize: 800, chunkOverlap: 120 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: "Docs assistant", ragConfig: { chunkSize: 800, chunkOverlap: 120, topK: 7 } });
  });

  it("keeps exactly one active prompt through creation, activation and deletion", async () => {
    const base = `${ws()}/bots/${botId}/prompts`;
    const v2 = await owner.request("POST", base, { name: "Friendlier", content: "Be warm and brief." });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, isActive: false });
    const v3 = await owner.request("POST", base, { name: "Strict", content: "Only cite.", activate: true });
    expect(v3.json()).toMatchObject({ version: 3, isActive: true });

    const activated = await owner.request("POST", `${base}/${v2.json().id}/activate`);
    expect(activated.statusCode).toBe(200);
    const rows = await db.select().from(botPrompts).where(eq(botPrompts.botId, botId));
    expect(rows.filter((p) => p.isActive).map((p) => p.id)).toEqual([v2.json().id]);
    const [bot] = await db.select().from(bots).where(eq(bots.id, botId));
    expect(bot!.activePromptId).toBe(v2.json().id);

    const edited = await owner.request("PATCH", `${base}/${v3.json().id}`, { content: "Only cite sources." });
    expect(edited.json().content).toBe("Only cite sources.");

    const deleteActive = await owner.request("DELETE", `${base}/${v2.json().id}`);
    expect(deleteActive.statusCode).toBe(409);
    expect(errorBody(deleteActive).error).toBe("PROMPT_ACTIVE");
    expect((await owner.request("DELETE", `${base}/${v3.json().id}`)).statusCode).toBe(204);
    const versions = (await owner.request("GET", base)).json().items.map((p: { version: number }) => p.version);
    expect(versions).toEqual([2, 1]);
  });

  it("updates the widget with validated colours and bounded texts", async () => {
    const path = `${ws()}/bots/${botId}/widget`;
    expect((await owner.request("GET", path)).json()).toMatchObject({ position: "bottom-right", showSources: true });
    const updated = await owner.request("PATCH", path, {
      primaryColor: "#FF5500",
      headerText: "Ask Acme",
      position: "bottom-left",
      theme: "dark",
      width: 420,
      showSources: false,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ primaryColor: "#FF5500", headerText: "Ask Acme", theme: "dark", width: 420 });
    const badColour = await owner.request("PATCH", path, { primaryColor: "red" });
    expect(errorBody(badColour).details?.issues?.[0]?.path).toBe("body.primaryColor");
    const longText = await owner.request("PATCH", path, { initialGreeting: "x".repeat(501) });
    expect(longText.statusCode).toBe(400);
    const tooWide = await owner.request("PATCH", path, { width: 2000 });
    expect(errorBody(tooWide).details?.issues?.[0]?.path).toBe("body.width");
  });

  it("normalises allowed origins and accepts wildcards only as https://*.domain", async () => {
    const base = `${ws()}/bots/${botId}/origins`;
    const added = await owner.request("POST", base, { origin: "HTTPS://Shop.Example.COM:443/" });
    expect(added.statusCode).toBe(201);
    expect(added.json().origin).toBe("https://shop.example.com");
    const wildcard = await owner.request("POST", base, { origin: "https://*.example.org" });
    expect(wildcard.json().origin).toBe("https://*.example.org");
    const local = await owner.request("POST", base, { origin: "http://localhost:5173" });
    expect(local.json().origin).toBe("http://localhost:5173");
    for (const bad of ["*", "http://*.example.com", "https://example.com/path", "ftp://example.com", "https://*.com"]) {
      const response = await owner.request("POST", base, { origin: bad });
      expect(response.statusCode, bad).toBe(400);
      expect(errorBody(response).details?.issues?.[0]?.path).toBe("body.origin");
    }
    const duplicate = await owner.request("POST", base, { origin: "https://shop.example.com" });
    expect(duplicate.statusCode).toBe(409);
    expect((await owner.request("DELETE", `${base}/${local.json().id}`)).statusCode).toBe(204);
    const origins = (await owner.request("GET", base)).json().items.map((o: { origin: string }) => o.origin);
    expect(origins).toEqual(["https://shop.example.com", "https://*.example.org"]);
  });

  it("stores BYOK keys encrypted and only ever returns a hint", async () => {
    const secret = "sk-proj-abcdefghijklmnop1234wxyz";
    const updated = await owner.request("PATCH", `${ws()}/settings`, {
      llm: { provider: "openai", model: "gpt-4o-mini", apiKey: secret },
      embedding: { provider: "ollama", baseUrl: "https://8.8.8.8:11434", model: "nomic-embed-text" },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.body).not.toContain(secret);
    expect(updated.json().llm).toMatchObject({ provider: "openai", hasApiKey: true, apiKeyHint: "sk-...wxyz" });
    expect(updated.json().embedding).toMatchObject({ provider: "ollama", hasApiKey: false, apiKeyHint: null });

    const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.workspaceId, workspaceId));
    expect(row!.llmApiKeyCiphertext).toMatch(/^v1\.test1\./);
    expect(row!.llmApiKeyCiphertext).not.toContain("abcdefgh");
    const box = createSecretBox(parseKeyRing(api.env.DOCENT_ENCRYPTION_KEYS!));
    expect(box.open(row!.llmApiKeyCiphertext!, byokAad(workspaceId, "llm"))).toBe(secret);
    expect(() => box.open(row!.llmApiKeyCiphertext!, byokAad(owner.workspaceId, "llm"))).toThrow();

    const fetched = await owner.request("GET", `${ws()}/settings`);
    expect(fetched.body).not.toContain(secret);
    const cleared = await owner.request("PATCH", `${ws()}/settings`, { llm: { apiKey: null } });
    expect(cleared.json().llm).toMatchObject({ provider: "openai", hasApiKey: false, apiKeyHint: null });
  });

  it("creates an API key shown once, uses it within its scopes, and revokes it", async () => {
    const created = await owner.request("POST", `${ws()}/api-keys`, { name: "CI", scopes: ["bots:read"] });
    expect(created.statusCode).toBe(201);
    const { secret, id, prefix } = created.json();
    expect(secret).toMatch(/^dk_live_[0-9A-Za-z]{40}$/);
    expect(secret.startsWith(prefix)).toBe(true);

    const listed = await owner.request("GET", `${ws()}/api-keys`);
    expect(listed.body).not.toContain(secret);
    expect(listed.json().items[0]).toMatchObject({ id, name: "CI", scopes: ["bots:read"], lastUsedAt: null });

    const asKey = keyClient(app, secret);
    const bots = await asKey("GET", `${ws()}/bots`);
    expect(bots.statusCode).toBe(200);
    expect(bots.json().items.map((b: { id: string }) => b.id)).toEqual([botId]);
    const write = await asKey("PATCH", `${ws()}/bots/${botId}`, { name: "Hijacked" });
    expect(write.statusCode).toBe(403);
    expect(errorBody(write).message).toContain("bots:write");
    const manageKeys = await asKey("GET", `${ws()}/api-keys`);
    expect(manageKeys.statusCode).toBe(403);
    const lastUsed = (await owner.request("GET", `${ws()}/api-keys`)).json().items[0].lastUsedAt;
    expect(lastUsed).not.toBeNull();

    const revoked = await owner.request("DELETE", `${ws()}/api-keys/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await asKey("GET", `${ws()}/bots`);
    expect(after.statusCode).toBe(401);
    expect(errorBody(after).error).toBe("INVALID_API_KEY");
  });

  it("restricts a bot-scoped key to its bot and lets a bots:write key edit it", async () => {
    const created = await owner.request("POST", `${ws()}/api-keys`, {
      name: "Bot only",
      scopes: ["bots:read", "bots:write"],
      botId,
    });
    const asKey = keyClient(app, created.json().secret);
    expect((await asKey("PATCH", `${ws()}/bots/${botId}`, { description: "via key" })).statusCode).toBe(200);
    const create = await asKey("POST", `${ws()}/bots`, { name: "New" });
    expect(create.statusCode).toBe(403);
    const expired = await owner.request("POST", `${ws()}/api-keys`, {
      name: "Past",
      scopes: ["bots:read"],
      expiresAt: "2020-01-01T00:00:00Z",
    });
    expect(errorBody(expired).details?.issues?.[0]?.path).toBe("body.expiresAt");
  });

  it("deletes the bot and signs out", async () => {
    expect((await owner.request("DELETE", `${ws()}/bots/${botId}`)).statusCode).toBe(204);
    expect((await owner.request("GET", `${ws()}/bots/${botId}`)).statusCode).toBe(404);
    expect((await owner.request("POST", "/v1/auth/logout")).statusCode).toBe(204);
    const me = await owner.request("GET", "/v1/auth/me");
    expect(me.statusCode).toBe(401);
    expect(errorBody(me).error).toBe("UNAUTHENTICATED");
  });
});

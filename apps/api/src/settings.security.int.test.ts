/**
 * Issue #12, workspace model settings:
 * - item 2: ollama, lmstudio, vllm (and openai_compatible) must name their base URL; a
 *   workspace setting never falls back to a loopback default, whatever the operator allows;
 * - item 1: with ALLOW_PRIVATE_MODEL_URLS, private model servers are allowed but cloud
 *   metadata addresses are still refused;
 * - the masked key hint is shown to OWNER/ADMIN only; a MEMBER sees that a key is set.
 */
import { addMember } from "@docent/db/queries/members";
import { describe, expect, it } from "vitest";
import { clientFor, createTestApi, errorBody, signUp } from "./testing/harness";

const strict = await createTestApi();
const permissive = await createTestApi({ ALLOW_PRIVATE_MODEL_URLS: "true" });

describe("a workspace provider must name its base URL", async () => {
  for (const [label, api] of [["strict", strict], ["ALLOW_PRIVATE_MODEL_URLS=true", permissive]] as const) {
    const owner = await signUp(api.app, `no-url-${label.length}`);
    const settings = `/v1/workspaces/${owner.workspaceId}/settings`;

    it.each([
      ["llm", "ollama"],
      ["llm", "lmstudio"],
      ["llm", "vllm"],
      ["llm", "openai_compatible"],
      ["embedding", "ollama"],
      ["embedding", "vllm"],
    ])(`${label}: refuses %s provider %s without a base URL`, async (field, provider) => {
      const res = await owner.request("PATCH", settings, { [field]: { provider, model: "m" } });
      expect(res.statusCode, res.body).toBe(400);
      const body = errorBody(res);
      expect(body.error).toBe("VALIDATION_FAILED");
      expect(body.details?.issues?.[0]?.path).toBe(`body.${field}.baseUrl`);
      expect(body.message).toContain(`${field}.baseUrl is required`);
      expect((await owner.request("GET", settings)).json()[field].provider).toBeNull();
    });
  }

  it("refuses to clear the base URL of a provider that needs one, and accepts openai without one", async () => {
    const owner = await signUp(permissive.app, "clear-url");
    const settings = `/v1/workspaces/${owner.workspaceId}/settings`;
    const saved = await owner.request("PATCH", settings, { llm: { provider: "ollama", baseUrl: "http://10.0.0.5:11434/v1" } });
    expect(saved.statusCode, saved.body).toBe(200);
    const cleared = await owner.request("PATCH", settings, { llm: { baseUrl: null } });
    expect(cleared.statusCode).toBe(400);
    expect(errorBody(cleared).details?.issues?.[0]?.path).toBe("body.llm.baseUrl");
    const openai = await owner.request("PATCH", settings, { llm: { provider: "openai", baseUrl: null } });
    expect(openai.statusCode, openai.body).toBe(200);
    expect(openai.json().llm).toMatchObject({ provider: "openai", baseUrl: null });
  });
});

describe("cloud metadata addresses", async () => {
  const owner = await signUp(permissive.app, "metadata");
  it.each(["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.100.100.200/"])(
    "stay refused with ALLOW_PRIVATE_MODEL_URLS=true: %s",
    async (baseUrl) => {
      const res = await owner.request("PATCH", `/v1/workspaces/${owner.workspaceId}/settings`, {
        embedding: { provider: "openai_compatible", baseUrl },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(errorBody(res).details?.issues?.[0]?.path).toBe("body.embedding.baseUrl");
    },
  );
});

describe("the masked model key hint", async () => {
  const owner = await signUp(strict.app, "hint-owner");
  const member = await signUp(strict.app, "hint-member");
  const admin = await signUp(strict.app, "hint-admin");
  await addMember(strict.db, { workspaceId: owner.workspaceId, userId: member.userId, role: "MEMBER", invitedBy: owner.userId });
  await addMember(strict.db, { workspaceId: owner.workspaceId, userId: admin.userId, role: "ADMIN", invitedBy: owner.userId });
  const settings = `/v1/workspaces/${owner.workspaceId}/settings`;
  const saved = await owner.request("PATCH", settings, { llm: { provider: "openai", apiKey: "sk-proj-abcdefghijklmnop9876" } });

  it("is shown to OWNER and ADMIN, not to a MEMBER (who still sees that a key is set)", async () => {
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await owner.request("GET", settings)).json().llm).toMatchObject({ hasApiKey: true, apiKeyHint: "sk-...9876" });
    const asAdmin = clientFor(strict.app, admin);
    expect((await asAdmin.request("GET", settings)).json().llm).toMatchObject({ hasApiKey: true, apiKeyHint: "sk-...9876" });
    const asMember = clientFor(strict.app, member);
    const seen = await asMember.request("GET", settings);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().llm).toMatchObject({ provider: "openai", hasApiKey: true, apiKeyHint: null });
    expect(seen.body).not.toContain("9876");
  });
});

describe("ALLOW_PRIVATE_MODEL_URLS and names only the model servers resolve", async () => {
  const owner = await signUp(permissive.app, "unresolvable");
  it("still saves a host name the API cannot resolve (chat and worker check it when they connect)", async () => {
    const res = await owner.request("PATCH", `/v1/workspaces/${owner.workspaceId}/settings`, {
      llm: { provider: "ollama", baseUrl: "http://ollama.invalid:11434/v1" },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});

/**
 * BYOK base URLs: the API and worker call them with the tenant's key, so a base URL on a
 * private, loopback or cloud-metadata address is refused with a 400 naming the field,
 * unless the operator allows private model servers (ALLOW_PRIVATE_MODEL_URLS=true).
 */
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const strict = await createTestApi();
const permissive = await createTestApi({ ALLOW_PRIVATE_MODEL_URLS: "true" });

describe("BYOK base URL policy", async () => {
  const owner = await signUp(strict.app, "byok");
  const settings = `/v1/workspaces/${owner.workspaceId}/settings`;

  it.each([
    ["llm", "http://127.0.0.1:11434/v1", "127.0.0.1"],
    ["llm", "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["embedding", "http://10.0.0.5:11434", "10.0.0.5"],
    ["embedding", "http://[::1]:8000/v1", "::1"],
    ["llm", "http://localhost:11434", "localhost"],
  ])("refuses %s.baseUrl %s", async (field, baseUrl, address) => {
    const res = await owner.request("PATCH", settings, { [field]: { provider: "openai_compatible", baseUrl } });
    expect(res.statusCode).toBe(400);
    const body = errorBody(res);
    expect(body.error).toBe("VALIDATION_FAILED");
    expect(body.details?.issues?.[0]?.path).toBe(`body.${field}.baseUrl`);
    expect(body.message).toContain("ALLOW_PRIVATE_MODEL_URLS");
    if (address !== "localhost") expect(body.message).toContain(address);
    // Nothing was saved.
    expect((await owner.request("GET", settings)).json()[field].baseUrl).toBeNull();
  });

  it("saves a base URL on a public address", async () => {
    const res = await owner.request("PATCH", settings, { llm: { provider: "openai_compatible", baseUrl: "https://8.8.8.8/v1" } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().llm.baseUrl).toBe("https://8.8.8.8/v1");
  });

  it("saves a private base URL when ALLOW_PRIVATE_MODEL_URLS=true (self-hosted Ollama)", async () => {
    const admin = await signUp(permissive.app, "byok-private");
    const res = await admin.request("PATCH", `/v1/workspaces/${admin.workspaceId}/settings`, {
      embedding: { provider: "ollama", baseUrl: "http://10.0.0.5:11434", model: "nomic-embed-text" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().embedding.baseUrl).toBe("http://10.0.0.5:11434");
  });
});

import { describe, expect, it } from "vitest";
import { platformDefaultLabel, settingsPatch } from "./settings-page";

describe("settingsPatch", () => {
  const section = { provider: "openai" as const, baseUrl: " https://api.openai.com/v1 ", model: "gpt-4o-mini", key: "", clearKey: false };
  it("leaves the stored key alone when the key field is empty", () => {
    expect(settingsPatch(section)).toEqual({ provider: "openai", baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini" });
  });
  it("sends a new key, or null to remove the stored one", () => {
    expect(settingsPatch({ ...section, key: " sk-new-secret " }).apiKey).toBe("sk-new-secret");
    expect(settingsPatch({ ...section, clearKey: true }).apiKey).toBeNull();
  });
  it("maps 'platform default' to null values", () => {
    expect(settingsPatch({ provider: "", baseUrl: "", model: "", key: "", clearKey: false })).toEqual({ provider: null, baseUrl: null, model: null });
  });
});

describe("platformDefaultLabel", () => {
  it("names the platform's configured model, not a hard-coded one", () => {
    const defaults = { llm: { provider: "vllm", model: "qwen2.5-14b-instruct", extractive: false }, embedding: { provider: "local", model: "local:lexical-hash-v1" } };
    expect(platformDefaultLabel("llm", defaults)).toBe("Platform default (qwen2.5-14b-instruct)");
    expect(platformDefaultLabel("embedding", defaults)).toBe("Platform default (local:lexical-hash-v1)");
    expect(platformDefaultLabel("llm", { ...defaults, llm: { provider: "local", model: "extractive-v2", extractive: true } })).toBe(
      "Platform default (offline extractive answers)",
    );
    expect(platformDefaultLabel("llm", undefined)).toBe("Platform default");
  });
});

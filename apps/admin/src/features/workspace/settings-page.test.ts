import { describe, expect, it } from "vitest";
import { settingsPatch } from "./settings-page";

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

import { describe, expect, it } from "vitest";
import { looksLikeApiKey, newApiKey, newPublicId, secretHint, sha256Hex } from "./tokens";

describe("tokens", () => {
  it("makes dk_live_ API keys whose prefix and hash identify but do not reveal them", () => {
    const key = newApiKey();
    expect(key.secret).toMatch(/^dk_live_[0-9A-Za-z]{40}$/);
    expect(looksLikeApiKey(key.secret)).toBe(true);
    expect(key.prefix).toBe(key.secret.slice(0, 16));
    expect(key.hash).toBe(sha256Hex(key.secret));
    expect(newApiKey().secret).not.toBe(key.secret);
    expect(looksLikeApiKey("dk_live_short")).toBe(false);
  });

  it("makes distinct public ids", () => {
    expect(new Set(Array.from({ length: 100 }, newPublicId)).size).toBe(100);
  });

  it("hints keys as sk-...abcd without exposing them", () => {
    expect(secretHint("sk-proj-1234567890abcdefwxyz")).toBe("sk-...wxyz");
    expect(secretHint("gsk_abcdefghijklmnop9876")).toBe("gsk...9876");
    expect(secretHint("short")).toBe("...rt");
  });
});

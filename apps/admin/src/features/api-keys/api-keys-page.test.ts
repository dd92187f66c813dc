import { describe, expect, it } from "vitest";
import type { ApiKey } from "../../api/types";
import { keyState } from "./api-keys-page";

const key = (extra: Partial<ApiKey>): ApiKey => ({ id: "k", name: "n", prefix: "dk_live_abcd", scopes: ["chat"], botId: null, lastUsedAt: null, expiresAt: null, revokedAt: null, createdAt: "2026-01-01T00:00:00Z", ...extra });

describe("keyState", () => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  it("tells active, expired and revoked keys apart", () => {
    expect(keyState(key({}), now)).toBe("active");
    expect(keyState(key({ expiresAt: "2026-05-01T00:00:00Z" }), now)).toBe("expired");
    expect(keyState(key({ expiresAt: "2026-07-01T00:00:00Z" }), now)).toBe("active");
    expect(keyState(key({ revokedAt: "2026-05-01T00:00:00Z", expiresAt: "2026-05-01T00:00:00Z" }), now)).toBe("revoked");
  });
});

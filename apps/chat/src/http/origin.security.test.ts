/**
 * Issue #12 item 12: an Origin header that is not exactly a serialized origin must not
 * match the widget allowlist. `https://user@a.example.com` parses to the origin
 * `https://a.example.com`, so normalising it first let it through.
 */
import { describe, expect, it } from "vitest";
import { originAllowed } from "./origin";

describe("widget Origin header", () => {
  const lists = [["https://*.example.com"], ["https://a.example.com"]];

  it.each([
    "https://user@a.example.com",
    "https://user:secret@a.example.com",
    "https://:secret@a.example.com",
    "https://a.example.com/",
    "https://a.example.com/path",
    "https://a.example.com?x=1",
    "https://a.example.com#top",
    "https://A.EXAMPLE.COM",
    "https://a.example.com:443",
    " https://a.example.com",
  ])("refuses %s", (origin) => {
    for (const list of lists) expect(originAllowed(origin, list), `${origin} vs ${list[0]}`).toBe(false);
  });

  it("still allows the exact origin", () => {
    for (const list of lists) expect(originAllowed("https://a.example.com", list)).toBe(true);
  });

  it("never matches an allowlist entry that carries user info", () => {
    expect(originAllowed("https://a.example.com", ["https://user@a.example.com"])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { originAllowed } from "./origin";

describe("originAllowed", () => {
  it("allows exact origins and refuses everything else", () => {
    const list = ["https://shop.example.com", "http://localhost:8080"];
    expect(originAllowed("https://shop.example.com", list)).toBe(true);
    expect(originAllowed("http://localhost:8080", list)).toBe(true);
    expect(originAllowed("http://shop.example.com", list)).toBe(false);
    expect(originAllowed("https://shop.example.com.evil.io", list)).toBe(false);
    expect(originAllowed("http://localhost:8081", list)).toBe(false);
    expect(originAllowed(undefined, list)).toBe(false);
    expect(originAllowed("null", list)).toBe(false);
  });

  it("matches https://*.example.com to subdomains only, same scheme", () => {
    const list = ["https://*.example.com"];
    expect(originAllowed("https://a.example.com", list)).toBe(true);
    expect(originAllowed("https://a.b.example.com", list)).toBe(true);
    expect(originAllowed("https://example.com", list)).toBe(false);
    expect(originAllowed("https://badexample.com", list)).toBe(false);
    expect(originAllowed("http://a.example.com", list)).toBe(false);
  });

  it("allows no site when the list is empty", () => {
    expect(originAllowed("https://a.example.com", [])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { normalizeOrigin } from "./origins";

const ok = (input: string) => {
  const result = normalizeOrigin(input);
  if (!result.ok) throw new Error(`${input}: ${result.reason}`);
  return result.origin;
};

describe("normalizeOrigin", () => {
  it("normalises to scheme://host[:port]", () => {
    expect(ok("https://Example.COM")).toBe("https://example.com");
    expect(ok("  https://example.com/  ")).toBe("https://example.com");
    expect(ok("https://example.com:443")).toBe("https://example.com");
    expect(ok("http://example.com:80")).toBe("http://example.com");
    expect(ok("https://example.com:8443")).toBe("https://example.com:8443");
    expect(ok("http://localhost:5173")).toBe("http://localhost:5173");
    expect(ok("https://bücher.de")).toBe("https://xn--bcher-kva.de");
  });

  it("accepts wildcards only as https://*.domain with two or more labels", () => {
    expect(ok("https://*.Example.com")).toBe("https://*.example.com");
    expect(ok("https://*.shop.example.co.uk")).toBe("https://*.shop.example.co.uk");
    for (const bad of ["*", "https://*", "https://*.com", "http://*.example.com", "https://a.*.example.com", "https://*example.com", "https://*.1.2.3.4"]) {
      expect(normalizeOrigin(bad).ok, bad).toBe(false);
    }
  });

  it("rejects anything that is not a bare origin", () => {
    for (const bad of [
      "example.com",
      "https://example.com/path",
      "https://example.com/?q=1",
      "https://example.com#x",
      "https://user:pw@example.com",
      "ftp://example.com",
      "javascript:alert(1)",
      "",
    ]) {
      expect(normalizeOrigin(bad).ok, bad).toBe(false);
    }
  });
});

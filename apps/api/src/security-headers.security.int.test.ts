/**
 * Security regression (issue #12, item 10): the API sent no security headers (no CSP,
 * nosniff or frame options). JSON routes now answer with a CSP that allows nothing and
 * forbids framing, and the /docs page (swagger-ui) still renders in a real browser under
 * its own policy, without a single CSP violation.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createTestApi } from "./testing/harness";

const { app } = await createTestApi();
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("API security headers", () => {
  it("are on JSON answers, errors included", async () => {
    for (const url of ["/healthz", "/v1/auth/me", "/no-such-route"]) {
      const response = await app.inject({ method: "GET", url });
      const csp = String(response.headers["content-security-policy"]);
      expect(csp, url).toContain("default-src 'none'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(response.headers["x-content-type-options"], url).toBe("nosniff");
      expect(response.headers["x-frame-options"], url).toBe("DENY");
      expect(response.headers["referrer-policy"], url).toBe("no-referrer");
      expect(response.headers["cross-origin-resource-policy"], url).toBe("same-origin");
    }
  });

  it("let /docs render in Chromium with no CSP violation", async () => {
    if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install it or set CHROMIUM_PATH`);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
      await page.addInitScript({
        content: `document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(e.violatedDirective + " " + e.blockedURI));`,
      });
      const response = await page.goto(`${base}/docs`);
      expect(String(response?.headers()["content-security-policy"])).toContain("frame-ancestors 'none'");
      // The operations come from /docs/json: scripts ran, the spec was fetched and rendered.
      await page.locator(".opblock-summary-operation-id, .opblock").first().waitFor({ timeout: 20_000 });
      await page.getByText("Docent API").first().waitFor();
      expect(await page.locator(".opblock").count()).toBeGreaterThan(20);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

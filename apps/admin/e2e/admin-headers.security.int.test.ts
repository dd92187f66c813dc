/**
 * Security regression (issue #12, item 10): the admin app was served with no security
 * headers, so any site could frame it. infra/nginx/admin.conf now sends a CSP (with
 * frame-ancestors 'none'), X-Frame-Options, nosniff and a referrer policy; this test
 * serves the production build with exactly those headers (read from the config) in
 * Chromium: the app renders without a single CSP violation, another origin cannot frame
 * it, and widget.js stays loadable by customers' pages.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./harness/browser";
import { buildAdmin, distDir } from "./harness/build";
import { nginxHeaders } from "./harness/nginx-headers";
import { type RunningServer, serveAdmin, servePage } from "./harness/static-server";

describe("admin security headers (infra/nginx/admin.conf)", () => {
  const app = nginxHeaders("/");
  let admin: RunningServer;
  let browser: Browser;
  const others: RunningServer[] = [];

  beforeAll(async () => {
    buildAdmin();
    // No services behind /api and /chat: the proxy answers 502, the public pages still render.
    admin = await serveAdmin({ dist: distDir, apiUrl: "http://127.0.0.1:9", chatUrl: "http://127.0.0.1:9" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await Promise.all(others.map((s) => s.close()));
  });

  it("are all configured for the app", () => {
    const csp = app["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("object-src 'none'");
    expect(app["x-frame-options"]).toBe("DENY");
    expect(app["x-content-type-options"]).toBe("nosniff");
    expect(app["referrer-policy"]).toBe("no-referrer");
  });

  it("let the built app render its public pages with no CSP violation", async () => {
    const context = await browser.newContext({ baseURL: admin.url });
    const violations: string[] = [];
    await context.exposeBinding("reportViolation", (_source, v: string) => void violations.push(v));
    await context.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    const page = await context.newPage();
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    for (const [path, heading] of [
      ["/login", "Welcome back"],
      ["/signup", "Create your account"],
      ["/forgot-password", "Reset your password"],
      ["/verify-email#token=abcdefghijklmnopqrstuvwxyz", "Confirm your address"],
      ["/reset-password#token=abcdefghijklmnopqrstuvwxyz", "Choose a new password"],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.headers()["content-security-policy"]).toBe(app["content-security-policy"]);
      await page.getByRole("heading", { name: heading }).waitFor();
    }
    // The theme script (a file, not inline) ran before the app: the saved theme applies.
    await page.evaluate(() => localStorage.setItem("docent-theme", "dark"));
    await page.goto("/login");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(violations).toEqual([]);
    await context.close();
  });

  it("refuse to be framed by another origin", async () => {
    const framer = await servePage(`<!doctype html><title>framer</title><iframe id="f" src="${admin.url}/login" width="800" height="600"></iframe>`);
    others.push(framer);
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on("console", (m) => {
      if (/frame-ancestors|Refused to (display|frame)/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(framer.url);
    await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Chromium shows its own error page in the frame instead of the app.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame?.url()).not.toContain(admin.url);
    expect(await frame?.getByText("Welcome back").count()).toBe(0);
    await page.close();
  });

  it("keep widget.js loadable from a customer's page", async () => {
    const site = await servePage(`<!doctype html><title>shop</title><script src="${admin.url}/widget.js" data-bot="pub_test_bot_id"></script>`);
    others.push(site);
    const page = await browser.newPage();
    const response = page.waitForResponse((r) => r.url().endsWith("/widget.js"));
    await page.goto(site.url);
    expect((await response).status()).toBe(200);
    expect((await response).headers()["x-content-type-options"]).toBe("nosniff");
    // The script ran on the foreign page: its launcher button is there.
    await page.getByRole("button", { name: /Open chat/ }).waitFor();
    await page.close();
  });
});

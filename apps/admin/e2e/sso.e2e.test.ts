/**
 * Signing in with an identity provider in a real browser (Debian chromium via
 * playwright-core): the built admin app under production's headers, the real API, chat
 * and worker, and a real OpenID Connect provider (oidc-provider) on loopback whose login
 * page the browser fills in. The first sign-in creates the account and its workspace, the
 * next one reuses it; a provider that goes down mid-sign-in shows a "try again" page
 * (503), not a broken one; a provider login with the address of a password account is
 * linked only after its owner signs in and confirms.
 */
import { useTestDatabase } from "@docent/testing/db";
import type {} from "@docent/testing/global-setup";
import { type Mailbox, startMailbox } from "@docent/testing/mailbox";
import { type OidcTestProvider, startOidcProvider } from "@docent/testing/oidc-provider";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./harness/browser";
import { buildAdmin, distDir } from "./harness/build";
import { freePort, type Services, startServices } from "./harness/services";
import { type RunningServer, serveAdmin } from "./harness/static-server";
import { screenshotDir } from "./harness/screenshots";
import { createSteps } from "./harness/steps";

const db = await useTestDatabase();
const shots = screenshotDir();

describe("single sign-on in a browser", () => {
  let services: Services;
  let mailbox: Mailbox;
  let provider: OidcTestProvider;
  let admin: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  const alice = { sub: `alice-${Date.now()}`, email: `alice-${Date.now()}@example.com`, name: "Alice Example" };
  let workspaceUrl = "";

  beforeAll(async () => {
    buildAdmin();
    mailbox = await startMailbox();
    const adminPort = await freePort();
    const appUrl = `http://127.0.0.1:${adminPort}`;
    provider = await startOidcProvider({ redirectUris: [`${appUrl}/auth/callback/keycloak`] });
    provider.addAccount({ sub: alice.sub, email: alice.email, emailVerified: true, name: alice.name });
    services = await startServices({
      databaseUrl: db.url,
      redisUrl: inject("redisUrl"),
      smtpUrl: mailbox.url,
      appUrl,
      apiEnv: {
        OIDC_PROVIDERS: "keycloak",
        OIDC_KEYCLOAK_ISSUER: provider.issuer,
        OIDC_KEYCLOAK_CLIENT_ID: provider.client.clientId,
        OIDC_KEYCLOAK_CLIENT_SECRET: provider.client.clientSecret,
        OIDC_KEYCLOAK_NAME: "Keycloak",
        SSO_TIMEOUT_MS: "2000",
      },
    });
    admin = await serveAdmin({ dist: distDir, apiUrl: services.apiUrl, chatUrl: services.chatUrl, port: adminPort });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: admin.url });
    await context.exposeBinding("reportViolation", (_source, v: string) => void cspViolations.push(v));
    await context.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await admin?.close();
    await services?.stop();
    await provider?.close();
    await mailbox?.close();
  });

  const step = createSteps(() => `--- api ---\n${services?.tail("api", 20) ?? ""}`);

  /** At the provider's login page: who signs in. */
  const signInAtProvider = async (sub: string) => {
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByLabel("Who are you").fill(sub);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  /** Signing out of Docent leaves the provider's own session: this signs out there too. */
  const signOutAtProvider = () => context.clearCookies({ name: /^_(session|interaction)/ });

  const logOut = async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    // A fresh sign-in page: not one that returns to the page the user logged out from.
    await page.goto("/login");
  };

  const usersWith = async (email: string) => (await db.sql`select id from users where email = ${email}`).length;

  step("the first sign-in with the provider creates the account and its workspace", [], async () => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Continue with Keycloak" }).waitFor();
    await page.screenshot({ path: `${shots}/18-sign-in-with-provider.png` });
    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await signInAtProvider(alice.sub);
    await page.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);
    expect(page.url()).not.toContain("code=");
    workspaceUrl = page.url();
    await page.getByRole("heading", { name: "Bots", exact: true }).waitFor();
    await page.getByText("No bots yet").waitFor();
    await page.getByText(alice.email).first().waitFor();
    expect(await usersWith(alice.email)).toBe(1);
  });

  step("a second sign-in reuses the account", ["the first sign-in with the provider creates the account and its workspace"], async () => {
    await logOut();
    await signOutAtProvider();
    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await signInAtProvider(alice.sub);
    await page.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);
    expect(page.url()).toBe(workspaceUrl);
    expect(await usersWith(alice.email)).toBe(1);
  });

  step("the account page lists the provider login, which cannot be removed while it is the only one", ["a second sign-in reuses the account"], async () => {
    await page.getByRole("link", { name: "Your account" }).click();
    const row = page.getByRole("row", { name: /Keycloak/ });
    await row.waitFor();
    await expect(row.getByText(alice.email).count()).resolves.toBe(1);
    expect(await row.getByRole("button", { name: "Unlink" }).isDisabled()).toBe(true);
    await page.getByText("Your only way to sign in cannot be removed").waitFor();
  });

  step("a provider that goes down during the sign-in shows a page to try again, and the next try works", ["a second sign-in reuses the account"], async () => {
    await logOut();
    await signOutAtProvider();
    // The provider stops answering just before the API redeems the code.
    await page.route("**/api/v1/auth/sso/keycloak/callback", async (route) => {
      await provider.setDown(true);
      await route.continue();
    });
    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await signInAtProvider(alice.sub);
    await page.getByRole("heading", { name: "The sign-in service is unavailable" }).waitFor();
    await page.getByText(/Keycloak cannot be reached right now/).first().waitFor();
    await page.unroute("**/api/v1/auth/sso/keycloak/callback");
    await provider.setDown(false);
    await page.getByRole("link", { name: "Try again" }).click();
    // Still signed in at the provider (single sign-on): it sends the browser straight back.
    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await page.waitForURL(workspaceUrl);
  });

  step("a provider login with a password account's address is linked only after its owner signs in and confirms", [], async () => {
    const owner = { email: `owen-${Date.now()}@example.com`, password: "correct horse battery staple", sub: `owen-${Date.now()}` };
    provider.addAccount({ sub: owner.sub, email: owner.email, emailVerified: true });
    await context.clearCookies();
    // The password account, created through the mailed link.
    await page.goto("/signup");
    await page.getByLabel("Name").fill("Owen Owner");
    await page.getByLabel("Work email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Create account" }).click();
    const mail = await mailbox.waitFor((m) => m.to.includes(owner.email) && /Confirm your e-mail/.test(m.subject), 20_000);
    await page.goto(mail.links.find((l) => l.includes("/verify-email#token="))!);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);
    await logOut();

    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await signInAtProvider(owner.sub);
    await page.getByRole("heading", { name: "You already have an account" }).waitFor();
    await page.getByRole("link", { name: "Sign in to your account" }).click();
    await page.getByText("Log in to your account to link the login you just used").waitFor();
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Link a login to your account" }).waitFor();
    await page.getByRole("button", { name: "Link Keycloak" }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);

    await page.getByRole("link", { name: "Your account" }).click();
    await page.getByRole("row", { name: /Keycloak/ }).waitFor();
    await page.getByRole("row", { name: /Password/ }).waitFor();
    await page.screenshot({ path: `${shots}/19-account-sign-in-methods.png` });
    await logOut();
    await signOutAtProvider();
    await page.getByRole("button", { name: "Continue with Keycloak" }).click();
    await signInAtProvider(owner.sub);
    // Back in the workspace: its bots, or the page the session was last on (the app keeps
    // the path a sign-out interrupted, which may be the account page).
    await page.waitForURL(/\/w\/[0-9a-f-]+\/(bots|account)$/);
    await page.getByText(owner.email).first().waitFor();
    expect(await usersWith(owner.email)).toBe(1);
  });

  it("ran without a single CSP violation", () => {
    expect(cspViolations).toEqual([]);
  });
});

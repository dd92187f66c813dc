/**
 * Security of provider sign-in (issue #19), against a real OpenID Connect provider
 * (oidc-provider) and a GitHub-protocol server: every answer that does not belong to the
 * sign-in this browser started is refused with a clear message and creates nothing.
 * Tampered or missing state, a replayed code, a wrong nonce, an expired ID token, one
 * signed with a key the provider does not publish (or a foreign key under its key id),
 * another issuer's answer, another browser's answer (login CSRF), an unverified or
 * missing address, an unknown provider, and a provider that is down, stalled or failing
 * (503 with Retry-After, within the timeout). A provider login never takes over an
 * existing account by its address, and the last sign-in method cannot be removed, even
 * by two removals at once.
 */
import { freePort } from "@docent/testing/process";
import { insertAuthMethod } from "@docent/db/queries/auth-methods";
import { authMethods, users } from "@docent/db/schema";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApi, errorBody, signUp, uniqueEmail } from "./testing/harness";
import { Browser, signInWithOidc, startTestProviders } from "./testing/sso";

const { keycloak, github, env } = await startTestProviders();
const offlinePort = await freePort();
const api = await createTestApi({
  ...env,
  OIDC_PROVIDERS: "keycloak,offline",
  OIDC_OFFLINE_ISSUER: `http://127.0.0.1:${offlinePort}`,
  OIDC_OFFLINE_CLIENT_ID: "docent",
  OIDC_OFFLINE_CLIENT_SECRET: "secret",
});
const { app, db } = api;

let subjects = 0;
const account = (label: string, overrides: { emailVerified?: boolean; email?: string | undefined } = {}) =>
  keycloak.addAccount({
    sub: `${label}-${++subjects}-${Date.now().toString(36)}`,
    email: "email" in overrides ? overrides.email : uniqueEmail(label),
    emailVerified: "emailVerified" in overrides ? overrides.emailVerified : true,
  });
const userCount = async () => (await db.select({ n: count() }).from(users))[0]!.n;
const methodsOf = (sub: string) => db.select().from(authMethods).where(eq(authMethods.providerAccountId, sub));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Expects a refusal with `code` that created no user and started no session. */
async function expectRefused(response: Awaited<ReturnType<Browser["callback"]>>, status: number, code: string, usersBefore: number) {
  const body = errorBody(response);
  expect({ status: response.statusCode, code: body.error }).toEqual({ status, code });
  expect(response.cookies.find((c) => c.name === "docent_session")).toBeUndefined();
  expect(await userCount()).toBe(usersBefore);
  return body;
}

afterEach(async () => {
  vi.useRealTimers();
  keycloak.setStalled(false);
  keycloak.setStatus(null);
  await keycloak.setDown(false).catch(() => {});
});

describe("state and browser binding", () => {
  it("refuses a tampered state, and the genuine answer still works once", async () => {
    const person = account("tamper");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    const state = back.searchParams.get("state")!;
    const tampered = new URL(back);
    tampered.searchParams.set("state", `${state.slice(0, -2)}${state.endsWith("AA") ? "BB" : "AA"}`);
    const before = await userCount();
    const body = await expectRefused(await browser.callback("keycloak", tampered), 400, "SSO_NO_PENDING_LOGIN", before);
    expect(body.message).toMatch(/start it again/);
    expect((await browser.callback("keycloak", back)).statusCode).toBe(200);
  });

  it("refuses a callback without a pending sign-in, or without any state", async () => {
    const before = await userCount();
    const browser = new Browser(app);
    await expectRefused(await browser.callback("keycloak", "code=abc&state=never-started"), 400, "SSO_NO_PENDING_LOGIN", before);
    await expectRefused(await browser.callback("keycloak", "code=abc"), 400, "SSO_NO_PENDING_LOGIN", before);
  });

  it("refuses an answer brought to another browser (login CSRF), and it cannot be retried", async () => {
    const person = account("csrf");
    const attacker = new Browser(app);
    const back = await keycloak.authorize(await attacker.start("keycloak"), person.sub);
    const victim = new Browser(app);
    const before = await userCount();
    await expectRefused(await victim.callback("keycloak", back), 400, "SSO_OTHER_BROWSER", before);
    await expectRefused(await attacker.callback("keycloak", back), 400, "SSO_NO_PENDING_LOGIN", before);
  });

  it("refuses an answer for another provider's sign-in", async () => {
    const person = account("cross");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    const before = await userCount();
    await expectRefused(await browser.callback("github", back), 400, "SSO_NO_PENDING_LOGIN", before);
  });

  it("refuses an answer that names another issuer (mix-up)", async () => {
    const person = account("mixup");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    back.searchParams.set("iss", "https://evil.example");
    const before = await userCount();
    const body = await expectRefused(await browser.callback("keycloak", back), 400, "SSO_DENIED", before);
    expect(body.message).toMatch(/did not come from Keycloak's issuer/);
  });

  it("only returns to paths inside the app", async () => {
    for (const returnTo of ["//evil.example/x", "https://evil.example", "/\\evil.example"]) {
      const response = await new Browser(app).request("POST", "/v1/auth/sso/keycloak/start", { returnTo });
      expect(response.statusCode, returnTo).toBe(400);
    }
  });
});

describe("authorization code", () => {
  it("refuses a replayed answer, and a used code injected into a new sign-in", async () => {
    const person = account("replay");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    expect((await browser.callback("keycloak", back)).statusCode).toBe(200);
    const before = await userCount();
    await expectRefused(await browser.callback("keycloak", back), 400, "SSO_NO_PENDING_LOGIN", before);

    const other = new Browser(app);
    const fresh = new URL(await other.start("keycloak"));
    const injected = new URLSearchParams(back.search);
    injected.set("state", fresh.searchParams.get("state")!);
    const body = await expectRefused(await other.callback("keycloak", injected.toString()), 400, "SSO_CODE_REJECTED", before);
    expect(body.message).toMatch(/refused the authorization code \(invalid_grant/);
  });

  it("refuses a sign-in the user cancelled at the provider", async () => {
    const browser = new Browser(app);
    const state = new URL(await browser.start("keycloak")).searchParams.get("state")!;
    const before = await userCount();
    const body = await expectRefused(
      await browser.callback("keycloak", new URLSearchParams({ error: "access_denied", error_description: "End-User aborted interaction", state, iss: keycloak.issuer }).toString()),
      400,
      "SSO_DENIED",
      before,
    );
    expect(body.message).toMatch(/cancelled at Keycloak/);
  });
});

describe("ID token", () => {
  it("refuses a token carrying another sign-in's nonce", async () => {
    const person = account("nonce");
    const browser = new Browser(app);
    const url = new URL(await browser.start("keycloak"));
    url.searchParams.set("nonce", "an-attacker-chosen-nonce");
    const before = await userCount();
    const body = await expectRefused(await browser.callback("keycloak", await keycloak.authorize(url.href, person.sub)), 400, "SSO_ID_TOKEN_INVALID", before);
    expect(body.message).toMatch(/nonce/);
    expect(await methodsOf(person.sub)).toHaveLength(0);
  });

  it("refuses an expired token signed with the provider's own key", async () => {
    const person = account("expired");
    keycloak.tamperNextIdToken(({ claims }, keys) => keys.sign({ ...claims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }));
    const before = await userCount();
    const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 400, "SSO_ID_TOKEN_INVALID", before);
    expect(body.message).toMatch(/expired/);
  });

  it("refuses a token signed with a foreign key under the provider's key id", async () => {
    const person = account("forged");
    keycloak.tamperNextIdToken(async ({ claims }, keys) => keys.sign(claims, { key: await keys.foreign(), kid: keys.current.kid }));
    const before = await userCount();
    const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 400, "SSO_ID_TOKEN_INVALID", before);
    expect(body.message).toMatch(/signature does not verify/);
  });

  it("refuses a token signed with a key the provider does not publish", async () => {
    const person = account("unknown-key");
    keycloak.tamperNextIdToken(async ({ claims }, keys) => keys.sign(claims, { key: await keys.foreign() }));
    const before = await userCount();
    const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 400, "SSO_ID_TOKEN_INVALID", before);
    expect(body.message).toMatch(/does not publish/);
  });

  it("refuses a token issued to another client", async () => {
    const person = account("audience");
    keycloak.tamperNextIdToken(({ claims }, keys) => keys.sign({ ...claims, aud: "someone-else" }));
    const before = await userCount();
    const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 400, "SSO_ID_TOKEN_INVALID", before);
    expect(body.message).toMatch(/another application/);
  });

  it("follows the provider's key rotation: the new key's tokens verify once its JWKS is fetched again", async () => {
    const person = account("rotation");
    expect((await signInWithOidc(new Browser(app), keycloak, person.sub)).statusCode).toBe(200);
    await keycloak.rotateKey();
    // openid-client fetches the JWKS again for an unknown key id at most once a minute.
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 61_000);
    const again = await signInWithOidc(new Browser(app), keycloak, person.sub);
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
  });
});

describe("addresses", () => {
  it("creates nothing for an address the provider does not assert verified", async () => {
    for (const emailVerified of [false, undefined]) {
      const person = account("unverified", { emailVerified });
      const before = await userCount();
      const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 403, "SSO_EMAIL_NOT_VERIFIED", before);
      expect(body.message).toContain(person.email);
      expect(await methodsOf(person.sub)).toHaveLength(0);
    }
  });

  it("creates nothing when the provider shares no address", async () => {
    const person = account("anonymous", { email: undefined });
    const before = await userCount();
    const body = await expectRefused(await signInWithOidc(new Browser(app), keycloak, person.sub), 400, "SSO_NO_EMAIL", before);
    expect(body.message).toMatch(/did not share an e-mail address/);
  });

  it("GitHub: creates nothing without a verified primary address", async () => {
    const before = await userCount();
    for (const [emails, code] of [
      [[{ email: uniqueEmail("gh-unverified"), primary: true, verified: false }], "SSO_EMAIL_NOT_VERIFIED"],
      [[], "SSO_NO_EMAIL"],
    ] as const) {
      github.signIn({ id: 6000 + emails.length, login: "nomail", emails: [...emails] });
      const browser = new Browser(app);
      const response = await browser.callback("github", await github.authorize(await browser.start("github")));
      await expectRefused(response, code === "SSO_NO_EMAIL" ? 400 : 403, code, before);
    }
  });

  it("GitHub: refuses a replayed code with GitHub's explanation", async () => {
    github.signIn({ id: 6100, login: "replayer", emails: [{ email: uniqueEmail("gh"), primary: true, verified: true }] });
    const browser = new Browser(app);
    const back = await github.authorize(await browser.start("github"));
    expect((await browser.callback("github", back)).statusCode).toBe(200);
    const before = await userCount();
    const fresh = new URL(await browser.start("github"));
    const injected = new URLSearchParams(back.search);
    injected.set("state", fresh.searchParams.get("state")!);
    const body = await expectRefused(await browser.callback("github", injected.toString()), 400, "SSO_CODE_REJECTED", before);
    expect(body.message).toMatch(/bad_verification_code/);
  });
});

describe("existing accounts", () => {
  it("a provider login with a password account's address neither signs in to it nor links, and only that account can confirm", async () => {
    const owner = await signUp(app, "victim");
    const person = account("attacker", { email: owner.email });
    const browser = new Browser(app);
    const before = await userCount();
    await expectRefused(await signInWithOidc(browser, keycloak, person.sub), 409, "SSO_LINK_REQUIRED", before);
    expect(await methodsOf(person.sub)).toHaveLength(0);

    // Someone else signing in in that browser cannot take the waiting login.
    const stranger = await signUp(app, "stranger");
    await browser.request("POST", "/v1/auth/login", { email: stranger.email, password: stranger.password });
    const refused = await browser.request("POST", "/v1/auth/sso/pending-link");
    expect(errorBody(refused).error).toBe("SSO_LINK_OTHER_ACCOUNT");
    expect(await methodsOf(person.sub)).toHaveLength(0);
    // Nor can the owner confirm from another browser.
    const elsewhere = await owner.request("POST", "/v1/auth/sso/pending-link");
    expect(errorBody(elsewhere).error).toBe("SSO_NO_PENDING_LINK");
    expect(await methodsOf(person.sub)).toHaveLength(0);
  });

  it("refuses to link a login that belongs to another account", async () => {
    const person = account("taken");
    expect((await signInWithOidc(new Browser(app), keycloak, person.sub)).statusCode).toBe(200);
    const other = await signUp(app, "grabber");
    const browser = new Browser(app);
    await browser.request("POST", "/v1/auth/login", { email: other.email, password: other.password });
    const response = await signInWithOidc(browser, keycloak, person.sub, { link: true });
    expect(errorBody(response).error).toBe("SSO_IDENTITY_IN_USE");
    expect((await methodsOf(person.sub)).map((m) => m.userId)).not.toContain(other.userId);
  });

  it("refuses to finish a link for someone else than who started it", async () => {
    const a = await signUp(app, "starter");
    const b = await signUp(app, "switcher");
    const person = account("switch");
    const browser = new Browser(app);
    await browser.request("POST", "/v1/auth/login", { email: a.email, password: a.password });
    const url = await browser.start("keycloak", { link: true });
    await browser.request("POST", "/v1/auth/login", { email: b.email, password: b.password });
    const response = await browser.callback("keycloak", await keycloak.authorize(url, person.sub));
    expect(errorBody(response).error).toBe("SSO_LINK_SESSION_CHANGED");
    expect(await methodsOf(person.sub)).toHaveLength(0);
  });

  it("refuses a suspended account", async () => {
    const person = account("suspended");
    const created = (await signInWithOidc(new Browser(app), keycloak, person.sub)).json();
    await db.update(users).set({ status: "SUSPENDED" }).where(eq(users.id, created.user.id));
    const response = await signInWithOidc(new Browser(app), keycloak, person.sub);
    expect(response.statusCode).toBe(403);
    expect(errorBody(response).error).toBe("ACCOUNT_SUSPENDED");
  });

  it("a suspended account's leftover session in the browser does not stop another person signing in", async () => {
    const suspended = await signUp(app, "leftover");
    const browser = new Browser(app);
    await browser.request("POST", "/v1/auth/login", { email: suspended.email, password: suspended.password });
    await db.update(users).set({ status: "SUSPENDED" }).where(eq(users.id, suspended.userId));
    const person = account("next-person");
    const response = await signInWithOidc(browser, keycloak, person.sub);
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe(person.email);
  });

  it("keeps the last sign-in method when two removals race", async () => {
    const user = await signUp(app, "racer");
    const browser = new Browser(app);
    await browser.request("POST", "/v1/auth/login", { email: user.email, password: user.password });
    // A race is won or lost by timing: run it several times.
    for (let round = 0; round < 6; round++) {
      await db.delete(authMethods).where(eq(authMethods.userId, user.userId));
      await insertAuthMethod(db, { userId: user.userId, provider: "github", providerName: null, providerAccountId: `race-${round}`, issuer: null, email: null });
      await insertAuthMethod(db, { userId: user.userId, provider: "oidc", providerName: "keycloak", providerAccountId: `race-${round}`, issuer: keycloak.issuer, email: null });
      const methods = (await browser.request("GET", "/v1/auth/methods")).json().items as { id: string }[];
      const results = await Promise.all(methods.map((m) => browser.request("DELETE", `/v1/auth/methods/${m.id}`)));
      expect(results.map((r) => r.statusCode).sort(), `round ${round}`).toEqual([204, 409]);
      expect(await db.select().from(authMethods).where(eq(authMethods.userId, user.userId)), `round ${round}`).toHaveLength(1);
    }
  });
});

describe("bad input", () => {
  it("answers 404 naming the configured providers for an unknown one, and sets nothing", async () => {
    for (const path of ["/v1/auth/sso/okta/start", "/v1/auth/sso/okta/callback"]) {
      const response = await new Browser(app).request("POST", path, path.endsWith("start") ? {} : { params: "code=x&state=y" });
      expect(response.statusCode, path).toBe(404);
      expect(errorBody(response)).toMatchObject({ error: "SSO_UNKNOWN_PROVIDER", details: { provider: "okta", configured: ["github", "keycloak", "offline"] } });
      expect(response.cookies).toHaveLength(0);
    }
  });
});

describe("provider outages", () => {
  it("answers 503 with Retry-After when the provider cannot be reached to start", async () => {
    const response = await new Browser(app).request("POST", "/v1/auth/sso/offline/start", {});
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("30");
    expect(errorBody(response)).toMatchObject({ error: "SSO_PROVIDER_UNAVAILABLE" });
    expect(errorBody(response).message).toMatch(/Offline cannot be reached right now \(connection refused\)/);
  });

  it("answers 503 when the provider goes down before the code is redeemed, and works again after", async () => {
    const person = account("outage");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    await keycloak.setDown(true);
    const before = await userCount();
    const response = await browser.callback("keycloak", back);
    await expectRefused(response, 503, "SSO_PROVIDER_UNAVAILABLE", before);
    expect(response.headers["retry-after"]).toBe("30");
    await keycloak.setDown(false);
    expect((await signInWithOidc(new Browser(app), keycloak, person.sub)).statusCode).toBe(200);
  });

  it("gives up on a provider that does not answer within SSO_TIMEOUT_MS", async () => {
    const person = account("stalled");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    keycloak.setStalled(true);
    const started = Date.now();
    const before = await userCount();
    const body = await expectRefused(await browser.callback("keycloak", back), 503, "SSO_PROVIDER_UNAVAILABLE", before);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body.message).toMatch(/no answer within 1500 ms/);
  });

  it("answers 503 when the provider answers 5xx", async () => {
    const person = account("failing");
    const browser = new Browser(app);
    const back = await keycloak.authorize(await browser.start("keycloak"), person.sub);
    keycloak.setStatus(503);
    const before = await userCount();
    const body = await expectRefused(await browser.callback("keycloak", back), 503, "SSO_PROVIDER_UNAVAILABLE", before);
    expect(body.message).toMatch(/answered 503/);
  });
});

/**
 * The operator's sign-in rules (issue #19): AUTH_EMAIL_DOMAINS limits every way in
 * (provider sign-in, sign-up, password sign-in, invitations) to the listed domains, and
 * AUTH_PASSWORD_ENABLED=false turns password sign-in, sign-up and resets off while
 * provider sign-in keeps working; a password then no longer counts as a way in, so the
 * last provider login cannot be unlinked. OIDC_<NAME>_TRUST_EMAIL covers a provider that
 * sends no `email_verified`, never one that says the address is not verified.
 */
import { insertAuthMethod } from "@docent/db/queries/auth-methods";
import { createUser, setEmailPassword } from "@docent/db/queries/users";
import { hashPassword } from "@docent/service-kit/crypto/password";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";
import { Browser, signInWithOidc, startTestProviders } from "./testing/sso";

const { keycloak, env } = await startTestProviders({ alsoAs: ["directory"] });
let subjects = 0;
const person = (email: string) => keycloak.addAccount({ sub: `policy-${++subjects}`, email, emailVerified: true });

describe("AUTH_EMAIL_DOMAINS", async () => {
  const { app } = await createTestApi({ ...env, AUTH_EMAIL_DOMAINS: "example.com, Docent.Test" });

  it("refuses a provider sign-in from another domain and creates nothing, and lets the listed ones in", async () => {
    const outsider = person(`mallory-${Date.now()}@elsewhere.org`);
    const refused = await signInWithOidc(new Browser(app), keycloak, outsider.sub);
    expect(refused.statusCode).toBe(403);
    expect(errorBody(refused)).toMatchObject({ error: "EMAIL_DOMAIN_NOT_ALLOWED", details: { allowedDomains: ["example.com", "docent.test"] } });
    expect(errorBody(refused).message).toContain(outsider.email);
    expect(refused.cookies.find((c) => c.name === "docent_session")).toBeUndefined();

    for (const email of [`alice-${Date.now()}@example.com`, `bob-${Date.now()}@DOCENT.test`]) {
      expect((await signInWithOidc(new Browser(app), keycloak, person(email.toLowerCase()).sub)).statusCode, email).toBe(200);
    }
  });

  it("refuses password sign-up, sign-in and invitations for other domains", async () => {
    const signup = await app.inject({ method: "POST", url: "/v1/auth/signup", payload: { email: "eve@elsewhere.org", password: "a long enough passphrase" } });
    expect(signup.statusCode).toBe(403);
    expect(errorBody(signup).error).toBe("EMAIL_DOMAIN_NOT_ALLOWED");
    const login = await app.inject({ method: "POST", url: "/v1/auth/login", payload: { email: "eve@elsewhere.org", password: "whatever it is" } });
    expect(errorBody(login).error).toBe("EMAIL_DOMAIN_NOT_ALLOWED");

    const member = await signUp(app, "inviter");
    const invite = await member.request("POST", `/v1/workspaces/${member.workspaceId}/invitations`, { email: "eve@elsewhere.org", role: "MEMBER" });
    expect(invite.statusCode).toBe(403);
    expect(errorBody(invite).error).toBe("EMAIL_DOMAIN_NOT_ALLOWED");
  });
});

describe("AUTH_PASSWORD_ENABLED=false", async () => {
  const { app, db } = await createTestApi({ ...env, AUTH_PASSWORD_ENABLED: "false" });

  it("says so to the sign-in page and refuses every password route", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/auth/providers" })).json()).toMatchObject({ password: false });
    const attempts = [
      { url: "/v1/auth/signup", payload: { email: "new@example.com", password: "a long enough passphrase" } },
      { url: "/v1/auth/login", payload: { email: "new@example.com", password: "a long enough passphrase" } },
      { url: "/v1/auth/password-reset", payload: { email: "new@example.com" } },
      { url: "/v1/auth/password-reset/confirm", payload: { token: "x".repeat(43), password: "a long enough passphrase" } },
      { url: "/v1/auth/verify-email", payload: { token: "x".repeat(43), password: "a long enough passphrase" } },
    ];
    for (const { url, payload } of attempts) {
      const response = await app.inject({ method: "POST", url, payload });
      expect({ url, status: response.statusCode, error: errorBody(response).error }).toEqual({ url, status: 403, error: "PASSWORD_SIGNIN_DISABLED" });
    }
  });

  it("still signs in with a provider, and keeps that login as the account's only way in", async () => {
    const browser = new Browser(app);
    const signedIn = await signInWithOidc(browser, keycloak, person(`sso-only-${Date.now()}@example.com`).sub);
    expect(signedIn.statusCode).toBe(200);
    const methods = (await browser.request("GET", "/v1/auth/methods")).json().items;
    expect(methods).toEqual([expect.objectContaining({ providerId: "keycloak", usable: true, removable: false })]);
    expect(errorBody(await browser.request("DELETE", `/v1/auth/methods/${methods[0].id}`)).error).toBe("LAST_SIGN_IN_METHOD");
  });

  it("does not count a password as a way in: the provider login beside it stays", async () => {
    // An account from before passwords were turned off, with a password and a linked login.
    const email = `both-${Date.now()}@example.com`;
    const login = person(email);
    const user = await createUser(db, { email, emailVerified: true });
    await setEmailPassword(db, { userId: user.id, email, passwordHash: await hashPassword("the old passphrase") });
    await insertAuthMethod(db, { userId: user.id, provider: "oidc", providerName: "keycloak", providerAccountId: login.sub, issuer: keycloak.issuer, email });
    const browser = new Browser(app);
    expect((await signInWithOidc(browser, keycloak, login.sub)).json().user.id).toBe(user.id);
    const methods = (await browser.request("GET", "/v1/auth/methods")).json().items as { id: string; providerId: string }[];
    expect(methods).toEqual([
      expect.objectContaining({ providerId: "email", usable: false, removable: true }),
      expect.objectContaining({ providerId: "keycloak", usable: true, removable: false }),
    ]);
    const keycloakMethod = methods.find((m) => m.providerId === "keycloak")!;
    expect(errorBody(await browser.request("DELETE", `/v1/auth/methods/${keycloakMethod.id}`)).error).toBe("LAST_SIGN_IN_METHOD");
    expect((await browser.request("DELETE", `/v1/auth/methods/${methods.find((m) => m.providerId === "email")!.id}`)).statusCode).toBe(204);
  });
});

describe("OIDC_<NAME>_TRUST_EMAIL", async () => {
  const { app } = await createTestApi({
    ...env,
    OIDC_PROVIDERS: "keycloak,directory",
    OIDC_DIRECTORY_ISSUER: keycloak.issuer,
    OIDC_DIRECTORY_CLIENT_ID: keycloak.client.clientId,
    OIDC_DIRECTORY_CLIENT_SECRET: keycloak.client.clientSecret,
    OIDC_DIRECTORY_TRUST_EMAIL: "true",
  });
  const signInVia = async (name: string, sub: string) => {
    const browser = new Browser(app);
    return browser.callback(name, await keycloak.authorize(await browser.start(name), sub));
  };

  it("counts an address without email_verified as verified only for the trusted provider", async () => {
    const silent = keycloak.addAccount({ sub: `silent-${Date.now()}`, email: `silent-${Date.now()}@example.com` });
    expect(errorBody(await signInVia("keycloak", silent.sub)).error).toBe("SSO_EMAIL_NOT_VERIFIED");
    const created = await signInVia("directory", silent.sub);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ created: true, user: { email: silent.email, emailVerified: true } });
  });

  it("still refuses an address the provider says is not verified", async () => {
    const denied = keycloak.addAccount({ sub: `denied-${Date.now()}`, email: `denied-${Date.now()}@example.com`, emailVerified: false });
    const response = await signInVia("directory", denied.sub);
    expect(response.statusCode).toBe(403);
    expect(errorBody(response).error).toBe("SSO_EMAIL_NOT_VERIFIED");
  });
});

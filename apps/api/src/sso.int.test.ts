/**
 * Signing in with an identity provider, through the API as the admin app drives it,
 * against a real OpenID Connect provider (oidc-provider, in-process) and a server
 * speaking GitHub's OAuth wire format: first sign-ins create the account (with its
 * personal workspace), later ones reuse it; logins are linked from settings or, for an
 * address that already has an account, after its owner signs in and confirms; methods
 * are listed and unlinked; invitations work for provider accounts.
 */
import { authMethods, users, workspaceMembers } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clientFor, createTestApi, errorBody, inviteAndAccept, signUp, uniqueEmail } from "./testing/harness";
import { Browser, signInWithOidc, startTestProviders } from "./testing/sso";

const { keycloak, github, env } = await startTestProviders();
const api = await createTestApi(env);
const { app, db } = api;

let subjects = 0;
const account = (label: string, overrides: { emailVerified?: boolean; email?: string | undefined } = {}) =>
  keycloak.addAccount({
    sub: `${label}-${++subjects}-${Date.now().toString(36)}`,
    email: "email" in overrides ? overrides.email : uniqueEmail(label),
    emailVerified: overrides.emailVerified ?? true,
    name: `${label} Person`,
  });

describe("providers", () => {
  it("lists password sign-in and the configured providers for the sign-in page", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/auth/providers" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      password: true,
      providers: [
        { id: "github", name: "GitHub", kind: "github" },
        { id: "keycloak", name: "Keycloak", kind: "oidc" },
      ],
    });
  });
});

describe("OpenID Connect sign-in", () => {
  it("creates a verified account with its personal workspace on the first sign-in, and reuses it on the next", async () => {
    const person = account("first");
    const browser = new Browser(app);
    const first = await signInWithOidc(browser, keycloak, person.sub);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ result: "signed_in", created: true, provider: { id: "keycloak", name: "Keycloak" } });
    expect(body.user).toMatchObject({ email: person.email, name: "first Person", emailVerified: true });
    expect(body.workspaces).toHaveLength(1);
    expect(body.workspaces[0]).toMatchObject({ isPersonal: true, role: "OWNER" });

    // The session works like a password one.
    const me = await browser.request("GET", "/v1/auth/me");
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(body.user.id);

    const [method] = await db.select().from(authMethods).where(eq(authMethods.userId, body.user.id));
    expect(method).toMatchObject({ provider: "oidc", providerName: "keycloak", providerAccountId: person.sub, issuer: keycloak.issuer, email: person.email, passwordHash: null });

    const again = await signInWithOidc(new Browser(app), keycloak, person.sub);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ result: "signed_in", created: false, user: { id: body.user.id } });
    expect(await db.select().from(users).where(eq(users.email, person.email!))).toHaveLength(1);
    expect(await db.select().from(workspaceMembers).where(eq(workspaceMembers.userId, body.user.id))).toHaveLength(1);
  });

  it("finds the account by the provider's subject, not the address: a changed address still signs in to it", async () => {
    const person = account("mover");
    const first = (await signInWithOidc(new Browser(app), keycloak, person.sub)).json();
    person.email = uniqueEmail("moved");
    const again = await signInWithOidc(new Browser(app), keycloak, person.sub);
    expect(again.json()).toMatchObject({ created: false, user: { id: first.user.id, email: first.user.email } });
    const [method] = await db.select().from(authMethods).where(eq(authMethods.userId, first.user.id));
    expect(method!.email).toBe(person.email);
  });

  it("brings the browser back where the sign-in started", async () => {
    const person = account("return");
    const browser = new Browser(app);
    const url = await browser.start("keycloak", { returnTo: "/w/abc/bots?tab=1" });
    const done = await browser.callback("keycloak", await keycloak.authorize(url, person.sub));
    expect(done.json().returnTo).toBe("/w/abc/bots?tab=1");
  });
});

describe("GitHub sign-in", () => {
  it("creates the account from the primary verified address, and reuses it by GitHub's user id", async () => {
    const email = uniqueEmail("octo");
    github.signIn({ id: 5001, login: "octo", name: "Octo Cat", emails: [{ email: uniqueEmail("other"), primary: false, verified: true }, { email, primary: true, verified: true }] });
    const browser = new Browser(app);
    const first = await browser.callback("github", await github.authorize(await browser.start("github")));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ result: "signed_in", created: true, user: { email, name: "Octo Cat", emailVerified: true } });
    const [method] = await db.select().from(authMethods).where(eq(authMethods.userId, first.json().user.id));
    expect(method).toMatchObject({ provider: "github", providerName: null, providerAccountId: "5001", email });

    const second = new Browser(app);
    const again = await second.callback("github", await github.authorize(await second.start("github")));
    expect(again.json()).toMatchObject({ created: false, user: { id: first.json().user.id } });
  });
});

describe("linking", () => {
  it("links a provider login to an existing account only after its owner signs in and confirms", async () => {
    const owner = await signUp(app, "owner");
    const person = account("owner", { email: owner.email });
    const browser = new Browser(app);
    const refused = await signInWithOidc(browser, keycloak, person.sub);
    expect(refused.statusCode).toBe(409);
    expect(errorBody(refused)).toMatchObject({ error: "SSO_LINK_REQUIRED", details: { email: owner.email, provider: "Keycloak" } });
    expect(refused.cookies.find((c) => c.name === "docent_session")).toBeUndefined();
    expect(await db.select().from(authMethods).where(eq(authMethods.providerAccountId, person.sub))).toHaveLength(0);

    // The owner signs in with the password in the same browser, sees the waiting login and confirms.
    const login = await browser.request("POST", "/v1/auth/login", { email: owner.email, password: owner.password });
    expect(login.statusCode).toBe(200);
    const waiting = await browser.request("GET", "/v1/auth/sso/pending-link");
    expect(waiting.json()).toEqual({ provider: { id: "keycloak", name: "Keycloak" }, email: owner.email });
    const confirmed = await browser.request("POST", "/v1/auth/sso/pending-link");
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().items.map((m: { providerId: string }) => m.providerId)).toEqual(["email", "keycloak"]);
    expect((await browser.request("GET", "/v1/auth/sso/pending-link")).statusCode).toBe(404);

    const signedIn = await signInWithOidc(new Browser(app), keycloak, person.sub);
    expect(signedIn.json()).toMatchObject({ result: "signed_in", created: false, user: { id: owner.userId } });
  });

  it("lets the owner decline the waiting login", async () => {
    const owner = await signUp(app, "decline");
    const person = account("decline", { email: owner.email });
    const browser = new Browser(app);
    expect((await signInWithOidc(browser, keycloak, person.sub)).statusCode).toBe(409);
    await browser.request("POST", "/v1/auth/login", { email: owner.email, password: owner.password });
    expect((await browser.request("DELETE", "/v1/auth/sso/pending-link")).statusCode).toBe(204);
    expect(errorBody(await browser.request("POST", "/v1/auth/sso/pending-link")).error).toBe("SSO_NO_PENDING_LINK");
  });

  it("links another login from the settings of a signed-in account, whatever its address", async () => {
    const user = await signUp(app, "settings");
    const browser = new Browser(app);
    await browser.request("POST", "/v1/auth/login", { email: user.email, password: user.password });
    github.signIn({ id: 5002, login: "settings-gh", emails: [{ email: uniqueEmail("elsewhere"), primary: true, verified: true }] });
    const linked = await browser.callback("github", await github.authorize(await browser.start("github", { link: true, returnTo: "/account" })));
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ result: "linked", created: false, returnTo: "/account", user: { id: user.userId } });

    const methods = (await browser.request("GET", "/v1/auth/methods")).json().items;
    expect(methods).toEqual([
      // Signed in with the password just now.
      expect.objectContaining({ provider: "email", providerId: "email", name: "Password", email: user.email, usable: true, removable: true, lastUsedAt: expect.any(String) }),
      expect.objectContaining({ provider: "github", providerId: "github", name: "GitHub", usable: true, removable: true }),
    ]);
    const fresh = new Browser(app);
    const viaGithub = await fresh.callback("github", await github.authorize(await fresh.start("github")));
    expect(viaGithub.json()).toMatchObject({ created: false, user: { id: user.userId } });
  });
});

describe("unlinking", () => {
  it("removes a method but never the last one", async () => {
    const person = account("unlink");
    const browser = new Browser(app);
    expect((await signInWithOidc(browser, keycloak, person.sub)).statusCode).toBe(200);
    const [only] = (await browser.request("GET", "/v1/auth/methods")).json().items;
    expect(only).toMatchObject({ providerId: "keycloak", removable: false });
    const refused = await browser.request("DELETE", `/v1/auth/methods/${only.id}`);
    expect(refused.statusCode).toBe(409);
    expect(errorBody(refused).error).toBe("LAST_SIGN_IN_METHOD");

    github.signIn({ id: 5003, login: "unlinker", emails: [] });
    await browser.callback("github", await github.authorize(await browser.start("github", { link: true })));
    expect((await browser.request("DELETE", `/v1/auth/methods/${only.id}`)).statusCode).toBe(204);
    const left = (await browser.request("GET", "/v1/auth/methods")).json().items;
    expect(left).toEqual([expect.objectContaining({ providerId: "github", removable: false })]);
    // The unlinked Keycloak login no longer reaches the account: its address has an account, so it must be linked again.
    expect(errorBody(await signInWithOidc(new Browser(app), keycloak, person.sub)).error).toBe("SSO_LINK_REQUIRED");
  });

  it("answers 404 for another user's method", async () => {
    const a = await signUp(app, "mine");
    const b = await signUp(app, "theirs");
    const [theirs] = await db.select().from(authMethods).where(eq(authMethods.userId, b.userId));
    const response = await a.request("DELETE", `/v1/auth/methods/${theirs!.id}`);
    expect(response.statusCode).toBe(404);
    expect(await db.select().from(authMethods).where(eq(authMethods.id, theirs!.id))).toHaveLength(1);
  });
});

describe("invitations", () => {
  it("an account created with a provider accepts an invitation sent to its verified address", async () => {
    const inviter = await signUp(app, "inviter");
    const person = account("invitee");
    const browser = new Browser(app);
    const signedIn = await signInWithOidc(browser, keycloak, person.sub);
    const invitee = clientFor(app, {
      email: person.email!,
      password: "",
      userId: signedIn.json().user.id,
      workspaceId: signedIn.json().workspaces[0].workspaceId,
      cookie: browser.cookieHeader,
      csrfToken: browser.csrfToken!,
    });
    await inviteAndAccept(app, inviter, inviter.workspaceId, invitee, "MEMBER");
    const me = (await browser.request("GET", "/v1/auth/me")).json();
    expect(me.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).toContain(inviter.workspaceId);
  });
});

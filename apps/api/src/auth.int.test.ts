/**
 * Accounts and sessions: cookie flags, CSRF on cookie mutations, login rate limits (per IP
 * and per account), password changes signing other sessions out, suspension, and logs
 * that carry the request id but no secrets.
 */
import { Writable } from "node:stream";
import { authMethods, emailTokens, sessions } from "@docent/db/schema";
import { createServiceLogger } from "@docent/http-kit/logger";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { buildApp } from "./app";
import { createTestApi, errorBody, mailTo, sessionCookieFrom, signUp, tokenFrom, uniqueEmail } from "./testing/harness";

const api = await createTestApi({ LOGIN_FAILURES_PER_ACCOUNT: "3", LOGIN_RATE_LIMIT_PER_IP: "12" });
const { app, db } = api;

const login = (email: string, password: string, ip = "127.0.0.1") =>
  app.inject({ method: "POST", url: "/v1/auth/login", payload: { email, password }, remoteAddress: ip });

describe("sign-up and sessions", () => {
  it("stores a salted scrypt hash and a hashed session token, and sets a safe cookie", async () => {
    const email = uniqueEmail("Mixed.Case");
    const since = api.mailbox.messages.length;
    const response = await app.inject({
      method: "POST",
      url: "/v1/auth/signup",
      payload: { email: email.toUpperCase(), password: "a long passphrase" },
    });
    expect(response.statusCode).toBe(202);
    expect(response.cookies).toHaveLength(0);
    const mail = await mailTo(api.mailbox, email, /Confirm your e-mail/, since);
    const verified = await app.inject({ method: "POST", url: "/v1/auth/verify-email", payload: { token: tokenFrom(mail, "/verify-email"), password: "a long passphrase" } });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().user).toMatchObject({ email: email.toLowerCase(), emailVerified: true, status: "ACTIVE" });
    const cookie = verified.cookies.find((c) => c.name === "docent_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie.secure).toBeFalsy();

    const userId = verified.json().user.id;
    const [method] = await db.select().from(authMethods).where(eq(authMethods.userId, userId));
    expect(method!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(method!.passwordHash).not.toContain("a long passphrase");
    const [session] = await db.select().from(sessions).where(eq(sessions.userId, userId));
    expect(session!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(session!.tokenHash).not.toBe(cookie.value);
    expect(JSON.stringify(await db.select().from(emailTokens))).not.toContain(tokenFrom(mail, "/verify-email"));
  });

  it("requires the CSRF token on cookie-authenticated mutations only", async () => {
    const user = await signUp(app, "csrf");
    const withoutToken = await app.inject({
      method: "POST",
      url: "/v1/workspaces",
      payload: { name: "W" },
      headers: { cookie: user.cookie },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(errorBody(withoutToken).error).toBe("CSRF_FAILED");
    const wrongToken = await user.request("POST", "/v1/workspaces", { name: "W" }, { "x-csrf-token": "forged" });
    expect(wrongToken.statusCode).toBe(403);
    const read = await app.inject({ method: "GET", url: "/v1/auth/me", headers: { cookie: user.cookie } });
    expect(read.statusCode).toBe(200);
    expect((await user.request("POST", "/v1/workspaces", { name: "W" })).statusCode).toBe(201);
  });

  it("logs in, rejects wrong passwords without saying which part was wrong", async () => {
    const user = await signUp(app, "login");
    const ok = await login(user.email.toUpperCase(), user.password);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().csrfToken).toBeTruthy();
    const wrongPassword = await login(user.email, "nope nope nope");
    const unknownUser = await login(uniqueEmail("ghost"), "nope nope nope");
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(errorBody(wrongPassword).message).toBe(errorBody(unknownUser).message);
  });

  it("locks an account after repeated failures, whatever the IP", async () => {
    const user = await signUp(app, "bruteforce");
    for (let i = 0; i < 3; i++) {
      expect((await login(user.email, `wrong-${i}`, `10.0.0.${i + 1}`)).statusCode).toBe(401);
    }
    const locked = await login(user.email, user.password, "10.0.0.99");
    expect(locked.statusCode).toBe(429);
    expect(errorBody(locked).error).toBe("RATE_LIMITED");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // Other accounts are unaffected.
    const other = await signUp(app, "bystander");
    expect((await login(other.email, other.password, "10.0.0.99")).statusCode).toBe(200);
  });

  it("limits login attempts per IP", async () => {
    const ip = "192.0.2.77";
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await login(uniqueEmail("spray"), "whatever", ip)).statusCode);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses[12]).toBe(429);
    const body = errorBody(await login(uniqueEmail("spray"), "whatever", ip));
    expect(body.error).toBe("RATE_LIMITED");
  });

  it("changes the password and signs out every other session", async () => {
    const user = await signUp(app, "password");
    const second = await login(user.email, user.password);
    const secondCookie = sessionCookieFrom(second);
    const wrong = await user.request("POST", "/v1/auth/password", { currentPassword: "not it", newPassword: "a brand new passphrase" });
    expect(errorBody(wrong).details?.issues?.[0]?.path).toBe("body.currentPassword");
    const short = await user.request("POST", "/v1/auth/password", { currentPassword: user.password, newPassword: "short" });
    expect(errorBody(short).details?.issues?.[0]?.path).toBe("body.newPassword");
    const changed = await user.request("POST", "/v1/auth/password", {
      currentPassword: user.password,
      newPassword: "a brand new passphrase",
    });
    expect(changed.statusCode).toBe(204);
    expect((await user.request("GET", "/v1/auth/me")).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/v1/auth/me", headers: { cookie: secondCookie } })).statusCode).toBe(401);
    expect((await login(user.email, user.password)).statusCode).toBe(401);
    expect((await login(user.email, "a brand new passphrase")).statusCode).toBe(200);
  });

  it("refuses API keys on account endpoints", async () => {
    const user = await signUp(app, "keyuser");
    const key = (
      await user.request("POST", `/v1/workspaces/${user.workspaceId}/api-keys`, { name: "k", scopes: ["bots:read"] })
    ).json().secret;
    const me = await app.inject({ method: "GET", url: "/v1/auth/me", headers: { authorization: `Bearer ${key}` } });
    expect(me.statusCode).toBe(403);
    expect(errorBody(me).error).toBe("SESSION_REQUIRED");
    const garbage = await app.inject({ method: "GET", url: "/v1/templates", headers: { authorization: "Bearer dk_live_nope" } });
    expect(garbage.statusCode).toBe(401);
    const basic = await app.inject({ method: "GET", url: "/v1/templates", headers: { authorization: "Basic abc" } });
    expect(basic.statusCode).toBe(401);
  });
});

describe("logging", () => {
  it("puts the request id on request lines and redacts credentials", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await buildApp({
      env: api.env,
      db,
      redis: api.redis.client,
      storage: api.storage,
      queue: api.queue,
      logger: createServiceLogger({ service: "api", level: "debug", destination }),
    });
    try {
      const user = await signUp({ app: logged, mailbox: api.mailbox }, "logged");
      await logged.inject({ method: "GET", url: "/v1/auth/me", headers: { cookie: user.cookie, "x-request-id": "req-abcdef12" } });
      await logged.inject({ method: "GET", url: "/v1/templates", headers: { authorization: "Bearer dk_live_secretsecret" } });
      const forRequest = lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === "req-abcdef12");
      expect(forRequest.length).toBeGreaterThan(0);
      const all = lines.join("\n");
      expect(all).not.toContain(user.password);
      expect(all).not.toContain(user.cookie.split("=")[1]);
      expect(all).not.toContain("dk_live_secretsecret");
    } finally {
      await logged.close();
    }
  });
});

/**
 * Security regression (issue #12, item 5), accounts: sign-up answered 409 EMAIL_TAKEN for
 * a registered address and gave a session at once, without proving the address. Sign-up
 * now mails a confirmation link (a notice, for a registered address) and answers the same
 * either way; password resets go by e-mail and answer the same too; links are random,
 * stored hashed, single-use and expiring; an unverified address cannot accept
 * invitations until it is verified. Mail goes over SMTP to a real SMTP server here.
 */
import { hashPassword } from "@docent/service-kit/crypto/password";
import { createUser, setEmailPassword } from "@docent/db/queries/users";
import { emailTokens } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, mailTo, sessionClient, signUp, tokenFrom, uniqueEmail } from "./testing/harness";

const api = await createTestApi({ MAIL_PER_ADDRESS_PER_HOUR: "3" });
const { app, db, mailbox } = api;

const post = (url: string, payload: object) => app.inject({ method: "POST", url, payload });
const login = (email: string, password: string) => post("/v1/auth/login", { email, password });
/** The answer with the address itself blanked, to compare answers for two addresses. */
const blanked = (response: { statusCode: number; body: string }, email: string) => ({
  status: response.statusCode,
  body: response.body.replaceAll(email, "<email>"),
});

describe("sign-up", () => {
  it("answers the same for a registered and a new address, and mails each what applies", async () => {
    const known = await signUp(app, "known");
    const fresh = uniqueEmail("fresh");
    const since = mailbox.messages.length;
    const forKnown = await post("/v1/auth/signup", { email: known.email, password: "someone else's password" });
    const forFresh = await post("/v1/auth/signup", { email: fresh, password: "a brand new passphrase" });
    expect(blanked(forKnown, known.email)).toEqual(blanked(forFresh, fresh));
    expect(forKnown.statusCode).toBe(202);
    expect(forKnown.cookies).toHaveLength(0);
    // The registered account is untouched: its password still works, the other does not.
    expect((await login(known.email, known.password)).statusCode).toBe(200);
    expect((await login(known.email, "someone else's password")).statusCode).toBe(401);
    expect((await mailTo(mailbox, known.email, /already have a Docent account/, since)).links.join(" ")).toContain("/forgot-password");
    expect((await mailTo(mailbox, fresh, /Confirm your e-mail/, since)).subject).toBeTruthy();
  });

  it("creates the account only from the mailed link, once", async () => {
    const email = uniqueEmail("confirm");
    const since = mailbox.messages.length;
    await post("/v1/auth/signup", { email, password: "my chosen passphrase" });
    expect((await login(email, "my chosen passphrase")).statusCode).toBe(401);
    const token = tokenFrom(await mailTo(mailbox, email, /Confirm your e-mail/, since), "/verify-email");
    const [stored] = await db.select().from(emailTokens).where(eq(emailTokens.email, email));
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored!.passwordHash).toMatch(/^scrypt\$/);

    const verified = await post("/v1/auth/verify-email", { token, password: "my chosen passphrase" });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().workspaces).toHaveLength(1);
    expect((await login(email, "my chosen passphrase")).statusCode).toBe(200);
    const reused = await post("/v1/auth/verify-email", { token, password: "my chosen passphrase" });
    expect(errorBody(reused).error).toBe("INVALID_TOKEN");
  });

  it("refuses expired links", async () => {
    const email = uniqueEmail("late");
    const since = mailbox.messages.length;
    await post("/v1/auth/signup", { email, password: "my chosen passphrase" });
    const token = tokenFrom(await mailTo(mailbox, email, /Confirm your e-mail/, since), "/verify-email");
    await db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.email, email));
    expect(errorBody(await post("/v1/auth/verify-email", { token, password: "my chosen passphrase" })).error).toBe("INVALID_TOKEN");
  });

  it("caps the mails to one address, still answering the same", async () => {
    const email = uniqueEmail("flooded");
    const since = mailbox.messages.length;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await post("/v1/auth/signup", { email, password: "flood flood flood" })).statusCode);
    expect(answers).toEqual([202, 202, 202, 202, 202]);
    const delivered = () => mailbox.messages.slice(since).filter((m) => m.to.includes(email)).length;
    await expect.poll(delivered).toBe(3);
    // Mail goes out in the background: give a fourth (wrongly sent) one time to arrive too.
    // This pause is the point: it lets a mail that should not exist show up.
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered()).toBe(3);
  });
});

describe("password reset", () => {
  it("answers the same for a registered and an unknown address", async () => {
    const known = await signUp(app, "reset-known");
    const unknown = uniqueEmail("reset-unknown");
    const a = await post("/v1/auth/password-reset", { email: known.email });
    const b = await post("/v1/auth/password-reset", { email: unknown });
    expect(a.statusCode).toBe(202);
    expect(blanked(a, known.email)).toEqual(blanked(b, unknown));
  });

  it("sets a new password from the mailed link, once, and signs every session out", async () => {
    const user = await signUp(app, "forgetful");
    const since = mailbox.messages.length;
    await post("/v1/auth/password-reset", { email: user.email });
    const token = tokenFrom(await mailTo(mailbox, user.email, /Reset your Docent password/, since), "/reset-password");
    const reset = await post("/v1/auth/password-reset/confirm", { token, password: "a fresh passphrase" });
    expect(reset.statusCode).toBe(204);
    expect((await user.request("GET", "/v1/auth/me")).statusCode).toBe(401);
    expect((await login(user.email, user.password)).statusCode).toBe(401);
    expect((await login(user.email, "a fresh passphrase")).statusCode).toBe(200);
    const reused = await post("/v1/auth/password-reset/confirm", { token, password: "yet another passphrase" });
    expect(errorBody(reused).error).toBe("INVALID_TOKEN");
    const [stored] = await db.select().from(emailTokens).where(eq(emailTokens.email, user.email.toLowerCase()));
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});

describe("accounts whose address was never verified (created before verification existed)", () => {
  it("cannot accept invitations until the address is verified", async () => {
    const owner = await signUp(app, "legacy-owner");
    const email = uniqueEmail("legacy");
    const user = await createUser(db, { email, emailVerified: false });
    await setEmailPassword(db, { userId: user.id, email, passwordHash: await hashPassword("legacy passphrase") });
    const legacy = sessionClient(app, email, "legacy passphrase", await login(email, "legacy passphrase"));

    let since = mailbox.messages.length;
    await owner.request("POST", `/v1/workspaces/${owner.workspaceId}/invitations`, { email, role: "MEMBER" });
    const invitation = tokenFrom(await mailTo(mailbox, email, /invited you/, since), "/invitations/accept");
    const refused = await legacy.request("POST", "/v1/invitations/accept", { token: invitation });
    expect(errorBody(refused).error).toBe("EMAIL_NOT_VERIFIED");

    since = mailbox.messages.length;
    expect((await legacy.request("POST", "/v1/auth/verify-email/send")).statusCode).toBe(202);
    const token = tokenFrom(await mailTo(mailbox, email, /Verify your e-mail/, since), "/verify-email");
    // Only with the account's password: whoever reads the mailbox cannot verify a stranger's account.
    expect((await post("/v1/auth/verify-email", { token, password: "not the password" })).statusCode).toBe(400);
    expect((await post("/v1/auth/verify-email", { token, password: "legacy passphrase" })).json().user.emailVerified).toBe(true);
    expect((await legacy.request("POST", "/v1/invitations/accept", { token: invitation })).statusCode).toBe(200);
  });
});

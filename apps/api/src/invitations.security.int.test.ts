/**
 * Security regression (issue #12, item 5), invitations: a stranger who signed up first
 * with an invited address became ADMIN of another workspace and listed its API keys, and
 * any owner could add any registered user without consent. Invitations are now signed,
 * expiring, single-use links mailed to the address (over SMTP, read here from a real SMTP
 * server); joining needs the invitee to accept, signed in with that address, verified.
 */
import { workspaceInvitations, workspaceMembers } from "@docent/db/schema";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  createTestApi,
  errorBody,
  mailTo,
  sessionClient,
  signUp,
  tokenFrom,
  uniqueEmail,
} from "./testing/harness";

const api = await createTestApi();
const { app, db, mailbox } = api;

const owner = await signUp(app, "inv-owner");
const team = (await owner.request("POST", "/v1/workspaces", { name: "Acme team" })).json() as { id: string };
const ws = `/v1/workspaces/${team.id}`;
await owner.request("POST", `${ws}/api-keys`, { name: "production", scopes: ["bots:read"] });

async function invite(email: string, role = "ADMIN") {
  const since = mailbox.messages.length;
  const response = await owner.request("POST", `${ws}/invitations`, { email, role });
  expect(response.statusCode, response.body).toBe(201);
  return { response, mail: await mailTo(mailbox, email, /invited you to Acme team/, since) };
}

const isMember = async (userId: string) =>
  (await db.select().from(workspaceMembers).where(and(eq(workspaceMembers.workspaceId, team.id), eq(workspaceMembers.userId, userId)))).length > 0;

describe("invitations", () => {
  it("do not let a stranger who signs up first with the invited address in", async () => {
    const victim = uniqueEmail("victim");
    const { mail } = await invite(victim);
    const token = tokenFrom(mail, "/invitations/accept");

    // The stranger signs up with the victim's address: no account, no session, no mail for them.
    const since = mailbox.messages.length;
    const squat = await app.inject({ method: "POST", url: "/v1/auth/signup", payload: { email: victim, password: "stranger's password" } });
    expect(squat.statusCode).toBe(202);
    expect(squat.cookies).toHaveLength(0);
    const login = await app.inject({ method: "POST", url: "/v1/auth/login", payload: { email: victim, password: "stranger's password" } });
    expect(login.statusCode).toBe(401);
    // The confirmation went to the victim's inbox; even followed there, it needs the stranger's password.
    const planted = await mailTo(mailbox, victim, /Confirm your e-mail/, since);
    const victimPassword = "the victim's own passphrase";
    const plantedUse = await app.inject({
      method: "POST",
      url: "/v1/auth/verify-email",
      payload: { token: tokenFrom(planted, "/verify-email"), password: victimPassword },
    });
    expect(plantedUse.statusCode).toBe(400);
    expect(errorBody(plantedUse).details?.issues?.[0]?.path).toBe("body.password");

    // A stranger with an account of their own, even holding the link, cannot accept it.
    const stranger = await signUp(app, "stranger");
    const taken = await stranger.request("POST", "/v1/invitations/accept", { token });
    expect(taken.statusCode).toBe(403);
    expect(errorBody(taken).error).toBe("INVITATION_FOR_ANOTHER_ADDRESS");
    expect(await isMember(stranger.userId)).toBe(false);
    expect((await stranger.request("GET", `${ws}/api-keys`)).statusCode).toBe(404);

    // The address's owner signs up, confirms with their own link, and accepts.
    const since2 = mailbox.messages.length;
    await app.inject({ method: "POST", url: "/v1/auth/signup", payload: { email: victim, password: victimPassword } });
    const own = await mailTo(mailbox, victim, /Confirm your e-mail/, since2);
    const verified = await app.inject({ method: "POST", url: "/v1/auth/verify-email", payload: { token: tokenFrom(own, "/verify-email"), password: victimPassword } });
    expect(verified.statusCode).toBe(200);
    const invitee = sessionClient(app, victim, victimPassword, verified);
    const preview = await app.inject({ method: "POST", url: "/v1/invitations/preview", payload: { token } });
    expect(preview.json()).toMatchObject({ workspaceName: "Acme team", email: victim, role: "ADMIN" });
    const accepted = await invitee.request("POST", "/v1/invitations/accept", { token });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ workspaceId: team.id, role: "ADMIN" });
    expect((await invitee.request("GET", `${ws}/api-keys`)).statusCode).toBe(200);

    // Single use.
    const again = await invitee.request("POST", "/v1/invitations/accept", { token });
    expect(errorBody(again).error).toBe("INVALID_TOKEN");
  });

  it("never add a registered user without their consent", async () => {
    const registered = await signUp(app, "registered");
    const added = await owner.request("POST", `${ws}/members`, { email: registered.email, role: "ADMIN" });
    expect(added.statusCode).toBe(404);
    const { mail } = await invite(registered.email);
    expect(await isMember(registered.userId)).toBe(false);
    expect((await registered.request("GET", ws)).statusCode).toBe(404);
    expect((await registered.request("GET", "/v1/workspaces")).json().items.map((w: { id: string }) => w.id)).not.toContain(team.id);
    // They join when they accept.
    expect((await registered.request("POST", "/v1/invitations/accept", { token: tokenFrom(mail, "/invitations/accept") })).statusCode).toBe(200);
    expect(await isMember(registered.userId)).toBe(true);
  });

  it("answer the same whether or not the address has an account", async () => {
    const registered = await signUp(app, "known");
    const unknown = uniqueEmail("unknown");
    const shape = (body: Record<string, unknown>) => Object.keys(body).sort();
    const a = (await invite(registered.email, "MEMBER")).response;
    const b = (await invite(unknown, "MEMBER")).response;
    expect(a.statusCode).toBe(b.statusCode);
    expect(shape(a.json())).toEqual(shape(b.json()));
    const { id: _a, email: _ae, expiresAt: _ax, createdAt: _ac, ...restA } = a.json();
    const { id: _b, email: _be, expiresAt: _bx, createdAt: _bc, ...restB } = b.json();
    expect(restA).toEqual(restB);
    const listed = (await owner.request("GET", `${ws}/invitations`)).json().items as { email: string }[];
    expect(Object.keys(listed.find((i) => i.email === registered.email)!).sort()).toEqual(Object.keys(listed.find((i) => i.email === unknown)!).sort());
  });

  it("are stored only as hashes, expire, and can be resent or revoked", async () => {
    const email = uniqueEmail("expiring");
    const { response, mail } = await invite(email, "MEMBER");
    const token = tokenFrom(mail, "/invitations/accept");
    const [row] = await db.select().from(workspaceInvitations).where(eq(workspaceInvitations.id, response.json().id));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);

    await db.update(workspaceInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(workspaceInvitations.id, row!.id));
    const expired = await app.inject({ method: "POST", url: "/v1/invitations/preview", payload: { token } });
    expect(errorBody(expired).error).toBe("INVALID_TOKEN");
    expect((await owner.request("GET", `${ws}/invitations`)).json().items.find((i: { id: string }) => i.id === row!.id).expired).toBe(true);

    const since = mailbox.messages.length;
    expect((await owner.request("POST", `${ws}/invitations/${row!.id}/resend`)).json().expired).toBe(false);
    const renewed = tokenFrom(await mailTo(mailbox, email, /invited you/, since), "/invitations/accept");
    expect(renewed).not.toBe(token);
    expect((await app.inject({ method: "POST", url: "/v1/invitations/preview", payload: { token: renewed } })).statusCode).toBe(200);

    expect((await owner.request("DELETE", `${ws}/invitations/${row!.id}`)).statusCode).toBe(204);
    expect((await app.inject({ method: "POST", url: "/v1/invitations/preview", payload: { token: renewed } })).statusCode).toBe(400);
  });
});

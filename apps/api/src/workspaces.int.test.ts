/**
 * Workspaces, members and roles (OWNER/ADMIN manage, MEMBER reads, the last OWNER stays),
 * joining by invitation, and platform administration. The invitation flow's security
 * properties are in invitations.security.int.test.ts.
 */
import { users } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, inviteAndAccept, signUp, uniqueEmail } from "./testing/harness";

const { app, db } = await createTestApi();

describe("members and roles", async () => {
  const owner = await signUp(app, "ws-owner");
  const member = await signUp(app, "ws-member");
  const admin = await signUp(app, "ws-admin");
  const workspace = (await owner.request("POST", "/v1/workspaces", { name: "Team" })).json();
  const ws = `/v1/workspaces/${workspace.id}`;
  const bot = (await owner.request("POST", `${ws}/bots`, { name: "Team bot" })).json();

  it("lets invited users join with the role they were invited with", async () => {
    await inviteAndAccept(app, owner, workspace.id, member);
    await inviteAndAccept(app, owner, workspace.id, admin, "ADMIN");
    const members = (await owner.request("GET", `${ws}/members`)).json().items;
    expect(members.find((m: { userId: string }) => m.userId === member.userId)).toMatchObject({ role: "MEMBER", invitedBy: owner.userId });
    expect(members.find((m: { userId: string }) => m.userId === admin.userId)).toMatchObject({ role: "ADMIN" });
    const again = await owner.request("POST", `${ws}/invitations`, { email: member.email.toUpperCase() });
    expect(errorBody(again).error).toBe("ALREADY_MEMBER");
    const mine = (await member.request("GET", "/v1/workspaces")).json().items;
    expect(mine.find((w: { id: string }) => w.id === workspace.id)).toMatchObject({ role: "MEMBER" });
  });

  it("lets MEMBERs read but not change bots, keys or settings", async () => {
    expect((await member.request("GET", `${ws}/bots/${bot.id}`)).statusCode).toBe(200);
    expect((await member.request("GET", `${ws}/usage`)).statusCode).toBe(200);
    const edit = await member.request("PATCH", `${ws}/bots/${bot.id}`, { name: "x" });
    expect(edit.statusCode).toBe(403);
    expect(errorBody(edit).message).toContain("MEMBER");
    expect((await member.request("POST", `${ws}/api-keys`, { name: "k", scopes: ["chat"] })).statusCode).toBe(403);
    expect((await member.request("PATCH", `${ws}/settings`, { llm: { model: "m" } })).statusCode).toBe(403);
    expect((await member.request("POST", `${ws}/invitations`, { email: uniqueEmail("x") })).statusCode).toBe(403);
    expect((await member.request("DELETE", `${ws}/members/${admin.userId}`)).statusCode).toBe(403);
  });

  it("lets ADMINs manage bots and members but not OWNERs", async () => {
    expect((await admin.request("PATCH", `${ws}/bots/${bot.id}`, { description: "by admin" })).statusCode).toBe(200);
    const promote = await admin.request("PATCH", `${ws}/members/${member.userId}`, { role: "OWNER" });
    expect(promote.statusCode).toBe(403);
    const demoteOwner = await admin.request("PATCH", `${ws}/members/${owner.userId}`, { role: "MEMBER" });
    expect(demoteOwner.statusCode).toBe(403);
    expect((await admin.request("DELETE", `${ws}`)).statusCode).toBe(403);
    const toAdmin = await admin.request("PATCH", `${ws}/members/${member.userId}`, { role: "ADMIN" });
    expect(toAdmin.json().role).toBe("ADMIN");
    expect((await admin.request("PATCH", `${ws}/members/${member.userId}`, { role: "MEMBER" })).json().role).toBe("MEMBER");
  });

  it("never leaves a workspace without an OWNER", async () => {
    const leave = await owner.request("DELETE", `${ws}/members/${owner.userId}`);
    expect(leave.statusCode).toBe(409);
    expect(errorBody(leave).error).toBe("LAST_OWNER");
    const demote = await owner.request("PATCH", `${ws}/members/${owner.userId}`, { role: "ADMIN" });
    expect(errorBody(demote).error).toBe("LAST_OWNER");

    expect((await owner.request("PATCH", `${ws}/members/${admin.userId}`, { role: "OWNER" })).json().role).toBe("OWNER");
    expect((await owner.request("PATCH", `${ws}/members/${owner.userId}`, { role: "ADMIN" })).json().role).toBe("ADMIN");
    const lastLeaves = await admin.request("DELETE", `${ws}/members/${admin.userId}`);
    expect(errorBody(lastLeaves).error).toBe("LAST_OWNER");
  });

  it("lets a member leave on their own", async () => {
    expect((await member.request("DELETE", `${ws}/members/${member.userId}`)).statusCode).toBe(204);
    expect((await member.request("GET", `${ws}/bots`)).statusCode).toBe(404);
  });

  it("deletes a team workspace but never a personal one", async () => {
    const personal = await owner.request("DELETE", `/v1/workspaces/${owner.workspaceId}`);
    expect(personal.statusCode).toBe(409);
    expect((await admin.request("DELETE", ws)).statusCode).toBe(204);
    expect((await admin.request("GET", ws)).statusCode).toBe(404);
  });
});

describe("platform administration", async () => {
  const operator = await signUp(app, "operator");
  const customer = await signUp(app, "customer");
  await db.update(users).set({ role: "ADMIN" }).where(eq(users.id, operator.userId));

  it("is closed to ordinary users", async () => {
    const response = await customer.request("GET", "/v1/admin/workspaces");
    expect(response.statusCode).toBe(403);
    expect(errorBody(response).message).toContain("administrators");
  });

  it("lists every workspace and user", async () => {
    const workspaces = await operator.request("GET", "/v1/admin/workspaces?limit=100");
    expect(workspaces.statusCode).toBe(200);
    const row = workspaces.json().items.find((w: { id: string }) => w.id === customer.workspaceId);
    expect(row).toMatchObject({ ownerEmail: customer.email, memberCount: 1, botCount: 0, isPersonal: true });
    expect(workspaces.json().total).toBeGreaterThanOrEqual(workspaces.json().items.length);
    const found = await operator.request("GET", `/v1/admin/users?search=${encodeURIComponent(customer.email)}`);
    expect(found.json()).toMatchObject({ total: 1, items: [{ id: customer.userId }] });
    const badQuery = await operator.request("GET", "/v1/admin/users?limit=0");
    expect(errorBody(badQuery).details?.issues?.[0]?.path).toBe("query.limit");
  });

  it("suspends a user, ending their sessions and refusing login, and reinstates them", async () => {
    const suspended = await operator.request("POST", `/v1/admin/users/${customer.userId}/suspend`);
    expect(suspended.json().status).toBe("SUSPENDED");
    expect((await customer.request("GET", "/v1/auth/me")).statusCode).toBe(401);
    const login = await app.inject({
      method: "POST",
      url: "/v1/auth/login",
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(403);
    expect(errorBody(login).error).toBe("ACCOUNT_SUSPENDED");
    expect((await operator.request("POST", `/v1/admin/users/${operator.userId}/suspend`)).statusCode).toBe(409);
    expect((await operator.request("POST", `/v1/admin/users/${customer.userId}/unsuspend`)).json().status).toBe("ACTIVE");
    const again = await app.inject({
      method: "POST",
      url: "/v1/auth/login",
      payload: { email: customer.email, password: customer.password },
    });
    expect(again.statusCode).toBe(200);
  });
});

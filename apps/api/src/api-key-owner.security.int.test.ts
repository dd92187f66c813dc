/**
 * Security regression (issue #12, item 3): a suspended user's API keys kept working
 * (bots created, documents added after the suspension). A key now acts for the user who
 * created it: suspension stops it (and reinstatement restores it), removal from the
 * workspace revokes it for good, and a demotion narrows it to the creator's new role.
 */
import { addMember, removeMember } from "@docent/db/queries/members";
import { users } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Client, clientFor, createTestApi, errorBody, keyClient, sessionCookieFrom, signUp } from "./testing/harness";

const { app, db } = await createTestApi();

describe("API keys follow the standing of the user who created them", async () => {
  const owner = await signUp(app, "key-owner");
  let colleague: Client = await signUp(app, "key-colleague");
  const operator = await signUp(app, "key-operator");
  await db.update(users).set({ role: "ADMIN" }).where(eq(users.id, operator.userId));
  await addMember(db, { workspaceId: owner.workspaceId, userId: colleague.userId, role: "ADMIN", invitedBy: owner.userId });
  const ws = `/v1/workspaces/${owner.workspaceId}`;
  const bot = (await owner.request("POST", `${ws}/bots`, { name: "Support" })).json() as { id: string };
  /** A write that any bots:write key may do, as often as needed (no plan quota). */
  const describeBot = (key: { call: ReturnType<typeof keyClient> }, description: string) =>
    key.call("PATCH", `${ws}/bots/${bot.id}`, { description });

  const createKey = async () => {
    const created = await colleague.request("POST", `${ws}/api-keys`, { name: "integration", scopes: ["bots:read", "bots:write"] });
    expect(created.statusCode).toBe(201);
    return { id: created.json().id as string, call: keyClient(app, created.json().secret as string) };
  };

  it("stops working while the creator is suspended, and works again once reinstated", async () => {
    const key = await createKey();
    expect((await describeBot(key, "before suspension")).statusCode).toBe(200);

    expect((await operator.request("POST", `/v1/admin/users/${colleague.userId}/suspend`)).statusCode).toBe(200);
    const refused = await describeBot(key, "after suspension");
    expect(refused.statusCode).toBe(401);
    expect(errorBody(refused).error).toBe("API_KEY_OWNER_INACTIVE");
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(401);
    expect((await owner.request("GET", `${ws}/bots/${bot.id}`)).json().description).toBe("before suspension");

    expect((await operator.request("POST", `/v1/admin/users/${colleague.userId}/unsuspend`)).statusCode).toBe(200);
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(200);
    // Suspension ended the colleague's sessions: sign in again for the next tests.
    const login = await app.inject({ method: "POST", url: "/v1/auth/login", payload: { email: colleague.email, password: colleague.password } });
    colleague = clientFor(app, { ...colleague, cookie: sessionCookieFrom(login), csrfToken: login.json().csrfToken });
  });

  it("narrows to the creator's role after a demotion", async () => {
    const key = await createKey();
    expect((await owner.request("PATCH", `${ws}/members/${colleague.userId}`, { role: "MEMBER" })).statusCode).toBe(200);
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(200);
    expect((await describeBot(key, "as a member")).statusCode).toBe(403);
    expect((await owner.request("PATCH", `${ws}/members/${colleague.userId}`, { role: "ADMIN" })).statusCode).toBe(200);
    expect((await describeBot(key, "admin again")).statusCode).toBe(200);
  });

  it("is revoked when the creator is removed from the workspace, and stays revoked if they come back", async () => {
    const key = await createKey();
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(200);
    expect((await owner.request("DELETE", `${ws}/members/${colleague.userId}`)).statusCode).toBe(204);
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(401);
    const listed = (await owner.request("GET", `${ws}/api-keys`)).json().items.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).not.toBeNull();

    await addMember(db, { workspaceId: owner.workspaceId, userId: colleague.userId, role: "ADMIN", invitedBy: owner.userId });
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(401);
  });

  it("stops at once for a creator who is no longer a member, even without the revocation", async () => {
    const key = await createKey();
    // A membership row deleted outside the API (a cascade, a script): auth checks at use.
    await removeMember(db, { workspaceId: owner.workspaceId, userId: colleague.userId });
    expect((await key.call("GET", `${ws}/bots`)).statusCode).toBe(401);
  });
});

/**
 * Webhooks are a workspace's own: another workspace's endpoints and deliveries answer 404
 * to every route, by session (with its own workspace in the path or the other's), and
 * nothing of them changes; workspace members who are not admins get 403.
 */
import { webhookDeliveries, webhookEndpoints } from "@docent/db/schema";
import { addMember } from "@docent/db/queries/members";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app, db } = await createTestApi();
const alice = await signUp(app, "hooks-alice");
const bob = await signUp(app, "hooks-bob");
const bobBase = `/v1/workspaces/${bob.workspaceId}/webhooks`;
const bobEndpoint = (await bob.request("POST", bobBase, { url: "https://bob.example.test/hook", eventTypes: ["message.rated"] })).json();
const bobDelivery = (await bob.request("POST", `${bobBase}/${bobEndpoint.id}/test`)).json();

async function snapshot() {
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, bobEndpoint.id));
  const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, bobEndpoint.id));
  return JSON.stringify({ endpoint, deliveries });
}

describe("webhook tenant isolation", () => {
  it("answers 404 to another workspace's endpoints and deliveries, and changes nothing", async () => {
    const before = await snapshot();
    const e = bobEndpoint.id;
    const d = bobDelivery.id;
    for (const ws of [bob.workspaceId, alice.workspaceId]) {
      const base = `/v1/workspaces/${ws}/webhooks`;
      const calls: [string, string, unknown?][] = [
        ["GET", `${base}/${e}`],
        ["PATCH", `${base}/${e}`, { url: "https://alice.example.test/steal", enabled: false }],
        ["POST", `${base}/${e}/rotate-secret`],
        ["POST", `${base}/${e}/test`],
        ["GET", `${base}/${e}/deliveries`],
        ["GET", `${base}/${e}/deliveries/${d}`],
        ["POST", `${base}/${e}/deliveries/${d}/redeliver`],
        ["DELETE", `${base}/${e}`],
      ];
      for (const [method, url, body] of calls) {
        const response = await alice.request(method as "GET", url, body);
        expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404);
        expect(errorBody(response).error).toBe("NOT_FOUND");
      }
    }
    // Alice's own list does not show Bob's endpoint.
    expect((await alice.request("GET", `/v1/workspaces/${alice.workspaceId}/webhooks`)).json().items).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it("refuses workspace members who are not admins", async () => {
    const member = await signUp(app, "hooks-member");
    await addMember(db, { workspaceId: bob.workspaceId, userId: member.userId, role: "MEMBER", invitedBy: bob.userId });
    for (const [method, url] of [
      ["GET", bobBase],
      ["POST", `${bobBase}/${bobEndpoint.id}/rotate-secret`],
    ] as const) {
      const response = await member.request(method, url);
      expect(response.statusCode, url).toBe(403);
    }
  });
});

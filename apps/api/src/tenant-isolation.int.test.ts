/**
 * Tenant isolation over Fastify's own route table: every route that addresses a tenant
 * object (an id in its path or body) is called by a session and by an API key of
 * workspace A with the ids of workspace B, and must answer 404. Routes addressed by bot
 * alone (`/v1/bots/:botId/...`, the documents) are probed the same way. A route added
 * without a fixture here, or without a workspace or bot check, fails this test.
 */
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import type { RegisteredRoute } from "./app";
import { createTestApi, keyClient, signUp, type Client } from "./testing/harness";

const { app } = await createTestApi();

interface Tenant {
  client: Client;
  keySecret: string;
  ids: Record<string, string>;
}

async function makeTenant(label: string): Promise<Tenant> {
  const client = await signUp(app, label);
  const ws = `/v1/workspaces/${client.workspaceId}`;
  const bot = (await client.request("POST", `${ws}/bots`, { name: `${label} bot` })).json();
  const prompt = (await client.request("POST", `${ws}/bots/${bot.id}/prompts`, { name: "p", content: "c" })).json();
  const origin = (await client.request("POST", `${ws}/bots/${bot.id}/origins`, { origin: `https://${label}.example.com` })).json();
  const document = (await client.request("POST", `/v1/bots/${bot.id}/documents/text`, { name: "FAQ", text: `${label} notes` })).json();
  const source = (await client.request("POST", `/v1/bots/${bot.id}/sources`, { url: `https://${label}.example.test/` })).json();
  const invitation = (await client.request("POST", `${ws}/invitations`, { email: `${label}-invitee@example.com` })).json();
  const key = (
    await client.request("POST", `${ws}/api-keys`, {
      name: "all scopes",
      scopes: ["bots:read", "bots:write", "documents:write", "chat", "analytics:read"],
    })
  ).json();
  const webhook = (await client.request("POST", `${ws}/webhooks`, { url: `https://${label}.example.test/hook`, eventTypes: ["document.failed"] })).json();
  const delivery = (await client.request("POST", `${ws}/webhooks/${webhook.id}/test`)).json();
  const plan = (await app.inject({ method: "GET", url: "/v1/plans" })).json().items[0];
  return {
    client,
    keySecret: key.secret,
    ids: {
      planId: plan.id,
      workspaceId: client.workspaceId,
      botId: bot.id,
      promptId: prompt.id,
      originId: origin.id,
      documentId: document.id,
      sourceId: source.id,
      apiKeyId: key.id,
      userId: client.userId,
      invitationId: invitation.id,
      endpointId: webhook.id,
      deliveryId: delivery.id,
    },
  };
}

const a = await makeTenant("tenant-a");
const b = await makeTenant("tenant-b");

/**
 * A valid body for every route that takes one, built from the ids being probed (so ids in
 * bodies are probed too). A new route with a body needs an entry.
 */
const sampleBodies: Record<string, (ids: Record<string, string>) => unknown> = {
  "POST /v1/auth/signup": () => ({ email: "x@example.com", password: "long enough password" }),
  "POST /v1/auth/login": () => ({ email: "x@example.com", password: "whatever" }),
  "POST /v1/auth/password": () => ({ currentPassword: "x", newPassword: "long enough password" }),
  "POST /v1/workspaces": () => ({ name: "W" }),
  "PATCH /v1/workspaces/:workspaceId": () => ({ name: "Renamed by another tenant" }),
  "POST /v1/auth/verify-email": () => ({ token: "x".repeat(43), password: "whatever" }),
  "POST /v1/auth/password-reset": () => ({ email: "x@example.com" }),
  "POST /v1/auth/password-reset/confirm": () => ({ token: "x".repeat(43), password: "long enough password" }),
  "POST /v1/workspaces/:workspaceId/invitations": () => ({ email: "intruder@example.com", role: "ADMIN" }),
  "POST /v1/invitations/preview": () => ({ token: "x".repeat(43) }),
  "POST /v1/invitations/accept": () => ({ token: "x".repeat(43) }),
  "PATCH /v1/workspaces/:workspaceId/members/:userId": () => ({ role: "MEMBER" }),
  "POST /v1/workspaces/:workspaceId/bots": () => ({ name: "Intruder bot" }),
  "PATCH /v1/workspaces/:workspaceId/bots/:botId": () => ({ name: "Hijacked" }),
  "POST /v1/workspaces/:workspaceId/bots/:botId/prompts": () => ({ name: "x", content: "y", activate: true }),
  "PATCH /v1/workspaces/:workspaceId/bots/:botId/prompts/:promptId": () => ({ content: "Hijacked" }),
  "PATCH /v1/workspaces/:workspaceId/bots/:botId/widget": () => ({ headerText: "Hijacked" }),
  "POST /v1/workspaces/:workspaceId/bots/:botId/origins": () => ({ origin: "https://evil.example.com" }),
  "POST /v1/workspaces/:workspaceId/api-keys": (ids) => ({ name: "x", scopes: ["bots:read"], botId: ids.botId }),
  "PATCH /v1/workspaces/:workspaceId/settings": () => ({ llm: { model: "hijacked" } }),
  "POST /v1/bots/:botId/documents/url": () => ({ url: "https://evil.example.com/page" }),
  "POST /v1/bots/:botId/documents/text": () => ({ name: "Planted", text: "Planted by another tenant" }),
  "PATCH /v1/bots/:botId/documents/:documentId": () => ({ metadata: { planted: "by another tenant" } }),
  "POST /v1/bots/:botId/sources": () => ({ url: "https://planted.example.test/" }),
  "PATCH /v1/bots/:botId/sources/:sourceId": () => ({ maxPages: 5 }),
  "POST /v1/auth/sso/:provider/start": () => ({}),
  "POST /v1/auth/sso/:provider/link": () => ({}),
  "POST /v1/auth/sso/:provider/callback": () => ({ params: "code=x&state=y" }),
  "POST /v1/admin/plans": () => ({
    code: "hijack",
    name: "Hijack",
    maxBots: null,
    maxDocumentsPerBot: null,
    maxTotalDocumentStorageGb: null,
    maxFileSizeMb: null,
    maxQueriesPerMonth: null,
    maxRetrievalsPerMonth: null,
    maxDocProcessingJobsPerMonth: null,
    maxPdfPages: 10,
    maxDocProcessingSeconds: 10,
    allowAdvancedRagConfig: true,
  }),
  "PATCH /v1/admin/plans/:planId": () => ({ maxBots: null }),
  "POST /v1/workspaces/:workspaceId/webhooks": () => ({ url: "https://planted.example.test/hook", eventTypes: ["document.failed"] }),
  "PATCH /v1/workspaces/:workspaceId/webhooks/:endpointId": () => ({ url: "https://hijacked.example.test/hook" }),
  "PUT /v1/admin/workspaces/:workspaceId/plan": (ids) => ({ planId: ids.planId }),
};

/**
 * Routes whose path parameter is no tenant's object: an identity provider's name, and the
 * signed-in user's own sign-in methods (looked up with the user's id; sso.int.test.ts
 * checks that another user's method answers 404).
 */
const notTenantObjects = new Set([
  "POST /v1/auth/sso/:provider/start",
  "POST /v1/auth/sso/:provider/link",
  "POST /v1/auth/sso/:provider/callback",
  "DELETE /v1/auth/methods/:methodId",
]);

/** Which body fields carry tenant ids (probed with the other tenant's ids in variant 2). */
const bodyIdRoutes = new Set(["POST /v1/workspaces/:workspaceId/api-keys"]);

const routes = app.routeTable.filter((r) => r.method !== "HEAD" && r.method !== "OPTIONS");
const key = (r: RegisteredRoute) => `${r.method} ${r.url}`;
const params = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const hasBody = (r: RegisteredRoute) => Boolean((r.schema as { body?: unknown } | undefined)?.body);
const auth = (r: RegisteredRoute) => r.config?.auth;
/** Workspace routes, and bot routes (`config.botPermission`), whose workspace comes from the bot. */
const isTenantChecked = (r: RegisteredRoute) => auth(r)?.kind === "workspace" || Boolean(r.config?.botPermission);

function fill(url: string, ids: Record<string, string>) {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no fixture id for :${name} (route ${url}); add one to the tenant fixtures`);
    return id;
  });
}

async function call(route: RegisteredRoute, as: "session" | "key", pathIds: Record<string, string>, bodyIds: Record<string, string>) {
  const url = fill(route.url, pathIds);
  const body = hasBody(route) ? sampleBodies[key(route)]!(bodyIds) : undefined;
  const method = route.method as "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  return as === "session" ? a.client.request(method, url, body) : keyClient(app, a.keySecret)(method, url, body);
}

function expectNotFound(response: LightMyRequestResponse, label: string) {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(404);
  expect(response.json().error, label).toBe("NOT_FOUND");
}

describe("tenant isolation over the route table", () => {
  const tenantRoutes = routes.filter((r) => params(r.url).length > 0 || auth(r)?.kind === "workspace");

  it("has a sample body for every route that takes one", () => {
    const missing = routes.filter((r) => hasBody(r) && !sampleBodies[key(r)]).map(key);
    expect(missing).toEqual([]);
  });

  it("puts every route with an id in its path behind a workspace check or the platform-admin gate", () => {
    const unguarded = tenantRoutes
      .filter((r) => !isTenantChecked(r) && !(auth(r)?.kind === "session" && r.url.startsWith("/v1/admin/")) && !notTenantObjects.has(key(r)))
      .map(key);
    expect(unguarded).toEqual([]);
    expect(tenantRoutes.length).toBeGreaterThanOrEqual(25);
  });

  it("answers 404 to A's session and key for every object of B", async () => {
    const probed: string[] = [];
    for (const route of tenantRoutes.filter(isTenantChecked)) {
      for (const as of ["session", "key"] as const) {
        // 1. B's workspace (and B's objects below it).
        expectNotFound(await call(route, as, b.ids, b.ids), `${as} ${key(route)} with B's workspace`);
        // 2. A's own workspace, but B's objects in the path or the body.
        const otherIds = params(route.url).filter((p) => p !== "workspaceId");
        if (otherIds.length > 0 || bodyIdRoutes.has(key(route))) {
          const response = await call(route, as, { ...b.ids, workspaceId: a.client.workspaceId }, b.ids);
          const sessionOnly = (auth(route) as { sessionOnly?: boolean } | undefined)?.sessionOnly;
          if (as === "key" && sessionOnly) {
            // Keys are refused on these routes whatever the ids, so nothing about B leaks.
            expect(response.statusCode, key(route)).toBe(403);
            expect(response.json().error).toBe("SESSION_REQUIRED");
          } else {
            expectNotFound(response, `${as} ${key(route)} with B's ids in A's workspace`);
          }
        }
      }
      probed.push(key(route));
    }
    expect(probed.length).toBeGreaterThanOrEqual(25);
    expect(probed.filter((r) => r.includes("/documents")).length).toBe(11);
    expect(probed.filter((r) => r.includes("/sources")).length).toBe(7);
  });

  it("keeps platform-admin routes closed to workspace owners and keys", async () => {
    for (const route of tenantRoutes.filter((r) => r.url.startsWith("/v1/admin/"))) {
      expect((await call(route, "session", b.ids, b.ids)).statusCode, key(route)).toBe(403);
      expect((await call(route, "key", b.ids, b.ids)).json().error, key(route)).toBe("SESSION_REQUIRED");
    }
  });

  it("left B's objects untouched and never listed them to A", async () => {
    const ws = `/v1/workspaces/${b.ids.workspaceId}`;
    const bot = (await b.client.request("GET", `${ws}/bots/${b.ids.botId}`)).json();
    expect(bot.name).toBe("tenant-b bot");
    const prompts = (await b.client.request("GET", `${ws}/bots/${b.ids.botId}/prompts`)).json().items;
    expect(prompts.map((p: { content: string }) => p.content)).toEqual(["c"]);
    expect((await b.client.request("GET", `${ws}/bots/${b.ids.botId}/widget`)).json().headerText).not.toBe("Hijacked");
    const keys = (await b.client.request("GET", `${ws}/api-keys`)).json().items;
    expect(keys[0].revokedAt).toBeNull();
    expect((await b.client.request("GET", `${ws}/members`)).json().items).toHaveLength(1);
    const invitations = (await b.client.request("GET", `${ws}/invitations`)).json().items;
    expect(invitations.map((i: { id: string; email: string }) => [i.id, i.email])).toEqual([[b.ids.invitationId, "tenant-b-invitee@example.com"]]);
    const documents = (await b.client.request("GET", `/v1/bots/${b.ids.botId}/documents`)).json().documents;
    expect(documents.map((d: { id: string; name: string; metadata: object }) => [d.id, d.name, d.metadata])).toEqual([[b.ids.documentId, "FAQ", {}]]);
    expect((await b.client.request("GET", `${ws}/settings`)).json().llm.model).toBeNull();
    const visibleToA = (await a.client.request("GET", "/v1/workspaces")).json().items.map((w: { id: string }) => w.id);
    expect(visibleToA).not.toContain(b.ids.workspaceId);
    const keyWorkspaces = (await keyClient(app, a.keySecret)("GET", "/v1/workspaces")).json().items;
    expect(keyWorkspaces.map((w: { id: string }) => w.id)).toEqual([a.ids.workspaceId]);
  });
});

/**
 * Webhook endpoints through the API: the secret is shown at creation and rotation only and
 * kept sealed; bad input (a private address, an unknown event type, a malformed URL, http
 * in production) is a 400 naming the problem with nothing stored; the delivery log pages;
 * a test event and a redelivery write a delivery row and queue its job.
 */
import { webhookDeliveries, webhookEndpoints } from "@docent/db/schema";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createLogger } from "@docent/config/logger";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { createWebhookService } from "./services/webhook-service";
import { createTestApi, errorBody, signUp, testLookup } from "./testing/harness";

const { app, db, webhookQueue } = await createTestApi();
const owner = await signUp(app, "hooks-owner");
const base = `/v1/workspaces/${owner.workspaceId}/webhooks`;

async function endpointCount() {
  const [row] = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, owner.workspaceId));
  return row!.n;
}

describe("webhook endpoints", () => {
  it("creates an endpoint, shows its secret once, and keeps it sealed", async () => {
    const created = await owner.request("POST", base, {
      url: "https://hooks.example.test/docent",
      description: "CRM sync",
      eventTypes: ["document.processed", "message.rated"],
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.secretHint).toBe(body.secret.slice(0, 10));
    expect(body).toMatchObject({ url: "https://hooks.example.test/docent", enabled: true, eventTypes: ["document.processed", "message.rated"] });

    const listed = (await owner.request("GET", base)).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0].secret).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(body.secret);
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, body.id));
    expect(row!.secretCiphertext).toMatch(/^v1\./);
    expect(row!.secretCiphertext).not.toContain(body.secret.slice(6));

    const rotated = await owner.request("POST", `${base}/${body.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(body.secret);

    const patched = await owner.request("PATCH", `${base}/${body.id}`, { enabled: false, eventTypes: ["handoff.requested"] });
    expect(patched.json()).toMatchObject({ enabled: false, eventTypes: ["handoff.requested"] });

    expect((await owner.request("DELETE", `${base}/${body.id}`)).statusCode).toBe(204);
    expect((await owner.request("GET", `${base}/${body.id}`)).statusCode).toBe(404);
  });

  it.each([
    ["a host that resolves to a private address", { url: "https://crm.internal.test/hook", eventTypes: ["document.failed"] }, "UNSAFE_URL", /private.*ALLOW_PRIVATE_WEBHOOK_URLS/s],
    ["a loopback literal", { url: "http://127.0.0.1:8080/hook", eventTypes: ["document.failed"] }, "UNSAFE_URL", /127\.0\.0\.1 is a private/],
    ["the cloud metadata address", { url: "http://169.254.169.254/latest", eventTypes: ["document.failed"] }, "UNSAFE_URL", /private or internal/],
    ["an unknown event type", { url: "https://hooks.example.test/x", eventTypes: ["document.deleted"] }, "VALIDATION_FAILED", /body\.eventTypes/],
    ["no event type", { url: "https://hooks.example.test/x", eventTypes: [] }, "VALIDATION_FAILED", /body\.eventTypes/],
    ["a repeated event type", { url: "https://hooks.example.test/x", eventTypes: ["document.failed", "document.failed"] }, "VALIDATION_FAILED", /repeat/],
    ["a relative URL", { url: "/hook", eventTypes: ["document.failed"] }, "VALIDATION_FAILED", /not an absolute URL/],
    ["another scheme", { url: "ftp://hooks.example.test/x", eventTypes: ["document.failed"] }, "UNSAFE_URL", /https/],
    ["credentials in the URL", { url: "https://user:pw@hooks.example.test/x", eventTypes: ["document.failed"] }, "UNSAFE_URL", /user name or password/],
    ["a host that does not resolve", { url: "https://nowhere.invalid/x", eventTypes: ["document.failed"] }, "VALIDATION_FAILED", /could not be resolved/],
    ["an unknown field", { url: "https://hooks.example.test/x", eventTypes: ["document.failed"], secret: "mine" }, "VALIDATION_FAILED", /body\.secret/],
  ])("refuses %s with a 400 and stores nothing", async (_label, body, code, message) => {
    const before = await endpointCount();
    const response = await owner.request("POST", base, body);
    expect(response.statusCode, response.body).toBe(400);
    const error = errorBody(response);
    expect(error.error).toBe(code);
    expect(`${error.message} ${JSON.stringify(error.details ?? {})}`).toMatch(message);
    expect(await endpointCount()).toBe(before);
  });

  it("refuses a private address on update too, leaving the endpoint as it was", async () => {
    const created = (await owner.request("POST", base, { url: "https://hooks.example.test/a", eventTypes: ["document.failed"] })).json();
    const response = await owner.request("PATCH", `${base}/${created.id}`, { url: "https://crm.internal.test/b", enabled: false });
    expect(response.statusCode).toBe(400);
    expect(errorBody(response).error).toBe("UNSAFE_URL");
    expect((await owner.request("GET", `${base}/${created.id}`)).json()).toMatchObject({ url: "https://hooks.example.test/a", enabled: true });
  });

  it("sends a test event and redelivers: each a delivery row with a queued job, listed newest first with paging", async () => {
    const endpoint = (await owner.request("POST", base, { url: "https://hooks.example.test/log", eventTypes: ["conversation.created"] })).json();
    const deliveries = `${base}/${endpoint.id}/deliveries`;
    const test = await owner.request("POST", `${base}/${endpoint.id}/test`);
    expect(test.statusCode, test.body).toBe(202);
    expect(test.json()).toMatchObject({ eventType: "webhook.test", status: "PENDING", attempts: 0 });
    expect(await webhookQueue.getJob(`wh-${test.json().id}-1`)).toBeTruthy();

    const again = await owner.request("POST", `${deliveries}/${test.json().id}/redeliver`);
    expect(again.statusCode).toBe(202);
    expect(again.json().id).not.toBe(test.json().id);
    expect(again.json().eventId).toBe(test.json().eventId);
    expect(await webhookQueue.getJob(`wh-${again.json().id}-1`)).toBeTruthy();

    const first = (await owner.request("GET", `${deliveries}?limit=1`)).json();
    expect(first.total).toBe(2);
    expect(first.items.map((d: { id: string }) => d.id)).toEqual([again.json().id]);
    const second = (await owner.request("GET", `${deliveries}?limit=1&offset=1`)).json();
    expect(second.items.map((d: { id: string }) => d.id)).toEqual([test.json().id]);
    expect((await owner.request("GET", `${deliveries}?status=SUCCEEDED`)).json().total).toBe(0);
    expect((await owner.request("GET", `${deliveries}/${test.json().id}`)).json().eventType).toBe("webhook.test");
    const [rows] = await db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(rows!.n).toBe(2);
  });

  it("is for workspace admins signed in: API keys are refused", async () => {
    const key = (await owner.request("POST", `/v1/workspaces/${owner.workspaceId}/api-keys`, { name: "k", scopes: ["bots:read"] })).json();
    const response = await app.inject({ method: "GET", url: base, headers: { authorization: `Bearer ${key.secret}` } });
    expect(response.statusCode).toBe(403);
    expect(errorBody(response).error).toBe("SESSION_REQUIRED");
  });
});

describe("webhook URLs in production", () => {
  it("must use https (the service as production builds it), and nothing is stored", async () => {
    const service = createWebhookService({
      db,
      secretBox: null,
      emitter: createWebhookEmitter({ db, queue: webhookQueue, logger: createLogger({ service: "test", level: "silent" }) }),
      allowPrivateUrls: false,
      requireHttps: true,
      lookup: testLookup,
    });
    const access = { workspaceId: owner.workspaceId, userId: owner.userId } as Parameters<typeof service.create>[0];
    const before = await endpointCount();
    const error = await service.create(access, { url: "http://hooks.example.test/plain", eventTypes: ["document.failed"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNSAFE_URL", statusCode: 400, message: "Webhook URLs must use https." });
    expect(await endpointCount()).toBe(before);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { api, toSession } from "./client";
import { ApiError, setCsrfToken } from "./http";

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("the openapi-fetch clients", () => {
  it("call the route the OpenAPI document names and answer with its typed body", async () => {
    const fetch = vi.fn(async (_: Request) => json({ items: [{ id: "b1", name: "Support" }] }));
    vi.stubGlobal("fetch", fetch);
    const bots = await api.bots.list("w 1");
    expect(bots.map((b) => b.name)).toEqual(["Support"]);
    const request = fetch.mock.calls[0]![0];
    expect(new URL(request.url).pathname).toBe("/api/v1/workspaces/w%201/bots");
    expect(request.credentials).toBe("same-origin");
  });

  it("send the CSRF token on mutations only, and leave empty filters out of the query", async () => {
    const fetch = vi.fn(async (_: Request) => json({ items: [], nextCursor: null }));
    vi.stubGlobal("fetch", fetch);
    setCsrfToken("tok");
    await api.chat.conversations("b1", { channel: "", feedback: "negative" });
    await api.workspaces.removeMember("w1", "u1").catch(() => undefined);
    const [get, del] = fetch.mock.calls.map((c) => c[0]);
    expect(new URL(get!.url).pathname + new URL(get!.url).search).toBe("/chat/v1/bots/b1/conversations?feedback=negative");
    expect(get!.headers.get("x-csrf-token")).toBeNull();
    expect(del!.headers.get("x-csrf-token")).toBe("tok");
    expect(del!.headers.get("content-type")).toBeNull();
  });

  it("throw the platform error body as an ApiError", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ requestId: "r1", statusCode: 409, error: "CONFLICT", message: "Name taken" }, 409)));
    const error = (await api.workspaces.create("Mine").catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.message).toBe("Name taken");
    expect(error.requestId).toBe("r1");
  });

  it("explain a network failure in words", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(api.templates.list()).rejects.toThrow("Could not reach the server");
  });
});

describe("toSession", () => {
  it("names workspaces by id and keeps the CSRF token for mutations", () => {
    const session = toSession({ user: { id: "u" } as never, workspaces: [{ workspaceId: "w1", name: "Mine", slug: "mine", isPersonal: true, role: "OWNER" }], csrfToken: "tok" });
    expect(session.workspaces).toEqual([{ id: "w1", name: "Mine", slug: "mine", isPersonal: true, role: "OWNER" }]);
    expect(session.csrfToken).toBe("tok");
  });
});

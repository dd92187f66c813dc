import { afterEach, describe, expect, it, vi } from "vitest";
import { toSession } from "./client";
import { ApiError, request, setCsrfToken } from "./http";

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe("request", () => {
  it("turns the platform error body into an ApiError with the field problems", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ requestId: "r1", statusCode: 400, error: "VALIDATION_FAILED", message: "Invalid request", details: { issues: [{ path: "body.email", message: "Invalid email" }] } }), { status: 400 })),
    );
    const error = (await request("POST", "/api/v1/x", { body: {} }).catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("Invalid request");
    expect(error.requestId).toBe("r1");
    expect(error.fieldMessages()).toEqual(["body.email: Invalid email"]);
  });

  it("sends the session's CSRF token on mutations only", async () => {
    const fetch = vi.fn(async () => new Response("{}", { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    toSession({ user: { id: "u" } as never, workspaces: [{ workspaceId: "w1", name: "Mine", slug: "mine", isPersonal: true, role: "OWNER" }], csrfToken: "tok" });
    await request("GET", "/api/v1/a");
    await request("DELETE", "/api/v1/b");
    const headers = (call: number) => (fetch.mock.calls[call] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headers(0)["x-csrf-token"]).toBeUndefined();
    expect(headers(1)["x-csrf-token"]).toBe("tok");
  });

  it("explains a network failure in words", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(request("GET", "/api/v1/a")).rejects.toThrow("Could not reach the server");
  });
});

describe("toSession", () => {
  it("names workspaces by id", () => {
    expect(toSession({ user: { id: "u" } as never, workspaces: [{ workspaceId: "w1", name: "Mine", slug: "mine", isPersonal: true, role: "OWNER" }] }).workspaces).toEqual([
      { id: "w1", name: "Mine", slug: "mine", isPersonal: true, role: "OWNER" },
    ]);
  });
});

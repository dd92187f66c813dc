import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, failed, mutationHeaders, onUnauthorized, setCsrfToken } from "./http";

afterEach(() => setCsrfToken(null));

describe("failed", () => {
  it("turns the platform error body into an ApiError with the field problems", async () => {
    const body = { requestId: "r1", statusCode: 400, error: "VALIDATION_FAILED", message: "Invalid request", details: { issues: [{ path: "body.email", message: "Invalid email" }] } };
    const error = await failed(new Response(JSON.stringify(body), { status: 400 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("Invalid request");
    expect(error.requestId).toBe("r1");
    expect(error.fieldMessages()).toEqual(["body.email: Invalid email"]);
  });

  it("words a gateway failure without a body, and tells the listeners about a 401", async () => {
    expect((await failed(new Response("<html>", { status: 502 }))).message).toBe("The server could not complete the request. Please try again.");
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    await failed(new Response("{}", { status: 401 }));
    stop();
    expect(listener).toHaveBeenCalledOnce();
  });
});

describe("mutationHeaders", () => {
  it("carries the session's CSRF token", () => {
    expect(mutationHeaders()).toEqual({});
    setCsrfToken("tok");
    expect(mutationHeaders()).toEqual({ "x-csrf-token": "tok" });
  });
});

/**
 * Security regression (issue #12, item 4): rate limits were keyed by the raw
 * Authorization header, so a fresh random header per request lifted the login, sign-up
 * and general limits. Unauthenticated requests now count against the client's address;
 * an API key gets a bucket of its own only once verified.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp, uniqueEmail } from "./testing/harness";

const LOGIN_PER_IP = 4;
const GENERAL_MAX = 6;
const api = await createTestApi({ LOGIN_RATE_LIMIT_PER_IP: String(LOGIN_PER_IP), API_RATE_LIMIT_MAX: String(GENERAL_MAX) });
const { app, redis } = api;

/** A well-formed but unknown key, different on every call. */
const forgedKey = () => `Bearer dk_live_${randomBytes(30).toString("base64url").replace(/[-_]/g, "A").slice(0, 40)}`;

async function statuses(n: number, send: () => Promise<{ statusCode: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).statusCode);
  return out;
}

describe("rate limits with a forged Authorization header on every request", () => {
  it("still limit login per address", async () => {
    await redis.flush();
    const codes = await statuses(LOGIN_PER_IP + 3, () =>
      app.inject({
        method: "POST",
        url: "/v1/auth/login",
        remoteAddress: "192.0.2.10",
        headers: { authorization: forgedKey() },
        payload: { email: uniqueEmail("spray"), password: "whatever whatever" },
      }),
    );
    expect(codes.slice(0, LOGIN_PER_IP).every((c) => c === 401)).toBe(true);
    expect(codes.slice(LOGIN_PER_IP)).toEqual([429, 429, 429]);
  });

  it("still limit sign-up per address", async () => {
    await redis.flush();
    const responses = [];
    for (let i = 0; i < LOGIN_PER_IP + 3; i++) {
      responses.push(
        await app.inject({
          method: "POST",
          url: "/v1/auth/signup",
          remoteAddress: "192.0.2.11",
          headers: { authorization: forgedKey() },
          payload: { email: uniqueEmail("mass"), password: "a long enough passphrase" },
        }),
      );
    }
    const codes = responses.map((r) => r.statusCode);
    expect(codes.slice(0, LOGIN_PER_IP).every((c) => c !== 429)).toBe(true);
    expect(codes.slice(LOGIN_PER_IP)).toEqual([429, 429, 429]);
    expect(errorBody(responses.at(-1)!).error).toBe("RATE_LIMITED");
  });

  it("still apply the general limit per address, while a verified key keeps a bucket of its own", async () => {
    await redis.flush();
    const owner = await signUp(app, "limits");
    const created = await owner.request("POST", `/v1/workspaces/${owner.workspaceId}/api-keys`, { name: "ci", scopes: ["bots:read"] });
    const secret = created.json().secret as string;
    await redis.flush();

    const codes = await statuses(GENERAL_MAX + 3, () =>
      app.inject({ method: "GET", url: "/v1/workspaces", remoteAddress: "192.0.2.12", headers: { authorization: forgedKey() } }),
    );
    expect(codes.slice(0, GENERAL_MAX).every((c) => c === 401)).toBe(true);
    expect(codes.slice(GENERAL_MAX)).toEqual([429, 429, 429]);

    // The real key, from the same exhausted address, is counted under the key.
    const withKey = () =>
      app.inject({ method: "GET", url: "/v1/workspaces", remoteAddress: "192.0.2.12", headers: { authorization: `Bearer ${secret}` } });
    const keyCodes = await statuses(GENERAL_MAX + 1, withKey);
    expect(keyCodes.slice(0, GENERAL_MAX)).toEqual(Array(GENERAL_MAX).fill(200));
    expect(keyCodes[GENERAL_MAX]).toBe(429);
  });
});

/**
 * Security regression (issue #12, item 4): the rate-limit bucket of a request must not be
 * chosen by an unverified Authorization header. Headers that are not a usable API key
 * (these never reach the database) fall back to the client's address.
 */
import type { Database } from "@docent/db/client";
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { callerKeyGenerator, clientAddressKey } from "./rate-limit";

const request = (authorization?: string) =>
  ({ ip: "203.0.113.9", headers: authorization === undefined ? {} : { authorization } }) as unknown as FastifyRequest;

describe("callerKeyGenerator", () => {
  const keyOf = callerKeyGenerator({} as Database);

  it("puts every unverifiable Authorization header in the client's address bucket", async () => {
    const keys = await Promise.all(
      ["Bearer forged-1", "Bearer forged-2", "Basic dXNlcjpwYXNz", "Bearer dk_live_short", "whatever"].map((h) => keyOf(request(h))),
    );
    expect(new Set(keys)).toEqual(new Set(["ip:203.0.113.9"]));
  });

  it("keys anonymous callers by address", async () => {
    expect(await keyOf(request())).toBe("ip:203.0.113.9");
    expect(clientAddressKey(request("Bearer anything"))).toBe("ip:203.0.113.9");
  });
});

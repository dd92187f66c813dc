import { createLogger } from "@docent/config/logger";
import { describe, expect, it } from "vitest";
import { createServiceApp } from "./fastify";
import { proxyTrust, trustProxyField } from "./proxy-trust";

/** The client address the service sees for a request from `peer` claiming `forwardedFor`. */
async function clientIp(trust: ReturnType<typeof proxyTrust>, peer: string, forwardedFor: string) {
  const app = createServiceApp({ logger: createLogger({ service: "test", level: "silent" }), trustProxy: trust });
  app.get("/ip", async (request) => ({ ip: request.ip }));
  const response = await app.inject({ url: "/ip", remoteAddress: peer, headers: { "x-forwarded-for": forwardedFor } });
  await app.close();
  return response.json().ip as string;
}

describe("TRUST_PROXY", () => {
  it("ignores X-Forwarded-For by default", async () => {
    expect(await clientIp(proxyTrust("false"), "203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
  });

  it("trusts only the addresses a proxy host name resolves to", async () => {
    const trust = proxyTrust("admin", { lookup: async (name) => (name === "admin" ? ["172.20.0.7"] : []) });
    // Through the proxy (once the name has resolved): the address nginx appended, not what
    // the client claimed before it.
    await expect.poll(() => clientIp(trust, "172.20.0.7", "6.6.6.6, 198.51.100.20")).toBe("198.51.100.20");
    // Straight to the service from another container or the host: the claim is ignored.
    expect(await clientIp(trust, "172.20.0.8", "6.6.6.6")).toBe("172.20.0.8");
    expect(await clientIp(trust, "::ffff:172.20.0.7", "198.51.100.21")).toBe("198.51.100.21");
  });

  it("takes addresses, CIDRs, keywords and hop counts", async () => {
    expect(await clientIp(proxyTrust("10.0.0.0/8"), "10.1.2.3", "198.51.100.1")).toBe("198.51.100.1");
    expect(await clientIp(proxyTrust("loopback"), "10.1.2.3", "198.51.100.1")).toBe("10.1.2.3");
    expect(await clientIp(proxyTrust("1"), "10.1.2.3", "6.6.6.6, 198.51.100.2")).toBe("198.51.100.2");
  });

  it("refuses values that are none of those, naming them", () => {
    expect(trustProxyField.safeParse("admin, 10.0.0.0/8, uniquelocal").success).toBe(true);
    const bad = trustProxyField.safeParse("10.0.0.0/8, not a host!");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('"not a host!"');
  });
});

/**
 * Issue #12 item 1: outbound connections to tenant-chosen URLs are checked and pinned at
 * connect time. A model server listens on 127.0.0.1; host names are answered by an
 * injected resolver, so DNS rebinding (public when checked, loopback when used) can be
 * played out without a network.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGuardedFetch } from "./dispatcher";
import { findUnsafeAddressError, UnsafeAddressError } from "./errors";
import { resolveAllowedAddresses, type ResolvedAddress } from "./resolve";
import { TEST_TLS_CERT, TEST_TLS_KEY } from "./testing/tls-fixture";

let server: http.Server;
let port = 0;
let hits: { url: string; host: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", host: req.headers.host });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  hits = [];
});

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

async function refusal(promise: Promise<unknown>): Promise<UnsafeAddressError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the request to be refused");
    },
    (e: unknown) => e,
  );
  const unsafe = findUnsafeAddressError(error);
  expect(unsafe, String(error)).toBeInstanceOf(UnsafeAddressError);
  return unsafe!;
}

describe("guarded fetch", () => {
  it("refuses a host that resolved to a public address when checked and to 127.0.0.1 when used (DNS rebinding)", async () => {
    const answers = [[v4("93.184.215.14")], [v4("127.0.0.1")]];
    let calls = 0;
    const lookup = async () => answers[Math.min(calls++, answers.length - 1)]!;

    // The save-time check passes: the name is public then.
    await expect(resolveAllowedAddresses("models.example.test", port, { lookup })).resolves.toEqual([v4("93.184.215.14")]);
    // At use, the connection resolves again, sees loopback and never connects.
    const guarded = createGuardedFetch({ lookup });
    try {
      const error = await refusal(guarded.fetch(`http://models.example.test:${port}/v1/chat/completions`, { method: "POST", body: "{}" }));
      expect(error.address).toBe("127.0.0.1");
      expect(error.message).toContain("models.example.test");
    } finally {
      await guarded.close();
    }
    expect(calls).toBe(2);
    expect(hits).toEqual([]);
  });

  it.each([
    ["a loopback answer", [v4("127.0.0.1")], "127.0.0.1"],
    ["one private address among public ones", [v4("93.184.215.14"), v4("10.0.0.7")], "10.0.0.7"],
    ["an IPv4-mapped loopback", [{ address: "::ffff:127.0.0.1", family: 6 as const }], "::ffff:127.0.0.1"],
    ["a cloud metadata address", [v4("169.254.169.254")], "169.254.169.254"],
  ])("refuses %s", async (_what, addresses, refused) => {
    const guarded = createGuardedFetch({ lookup: async () => addresses });
    try {
      const error = await refusal(guarded.fetch(`http://models.example.test:${port}/v1/models`));
      expect(error.address).toBe(refused);
    } finally {
      await guarded.close();
    }
    expect(hits).toEqual([]);
  });

  it("refuses IP literals without resolving them", async () => {
    const guarded = createGuardedFetch({
      lookup: async () => {
        throw new Error("IP literals must not be resolved");
      },
    });
    try {
      for (const url of [`http://127.0.0.1:${port}/`, `http://[::1]:${port}/`, `http://2130706433:${port}/`, `http://0x7f.1:${port}/`]) {
        expect((await refusal(guarded.fetch(url))).message).toMatch(/private or internal/);
      }
    } finally {
      await guarded.close();
    }
    expect(hits).toEqual([]);
  });

  it("keeps refusing cloud metadata addresses when private addresses are allowed", async () => {
    const guarded = createGuardedFetch({ allowPrivate: true, lookup: async () => [v4("169.254.169.254")] });
    try {
      expect((await refusal(guarded.fetch("http://metadata.example.test/latest/meta-data/"))).address).toBe("169.254.169.254");
    } finally {
      await guarded.close();
    }
  });

  it("connects to the checked address, keeping the URL's host name, when the policy allows it", async () => {
    // allowPrivate stands for ALLOW_PRIVATE_MODEL_URLS: the same server is reachable, so
    // the refusals above are the policy's doing, not a dead port.
    let calls = 0;
    const guarded = createGuardedFetch({
      allowPrivate: true,
      lookup: async () => {
        calls++;
        return [v4("127.0.0.1")];
      },
    });
    try {
      const response = await guarded.fetch(`http://models.example.test:${port}/v1/models`);
      expect(await response.json()).toEqual({ ok: true });
    } finally {
      await guarded.close();
    }
    expect(calls).toBe(1);
    expect(hits).toEqual([{ url: "/v1/models", host: `models.example.test:${port}` }]);
  });

  it("lets a test allowance through for one address and port only", async () => {
    const guarded = createGuardedFetch({
      lookup: async () => [v4("127.0.0.1")],
      allowAddress: (address, p) => address === "127.0.0.1" && p === port,
    });
    try {
      expect((await guarded.fetch(`http://models.example.test:${port}/`)).status).toBe(200);
      expect((await refusal(guarded.fetch(`http://models.example.test:${port + 1}/`))).address).toBe("127.0.0.1");
    } finally {
      await guarded.close();
    }
    expect(hits).toHaveLength(1);
  });
});

describe("guarded fetch over TLS", () => {
  it("connects to the checked address and still verifies the certificate against the URL's host name", async () => {
    const tlsServer = https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`served ${req.headers.host}`);
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    const tlsPort = (tlsServer.address() as AddressInfo).port;
    const policy = { allowPrivate: true, lookup: async () => [v4("127.0.0.1")] };
    const guarded = createGuardedFetch(policy, { ca: TEST_TLS_CERT });
    try {
      const response = await guarded.fetch(`https://models.example.test:${tlsPort}/v1/models`);
      expect(await response.text()).toBe(`served models.example.test:${tlsPort}`);
      // Another name on the same address: the certificate does not cover it.
      const error = await guarded.fetch(`https://other.example.test:${tlsPort}/`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(JSON.stringify(String((error as Error).cause ?? error))).toMatch(/altnames|ERR_TLS_CERT_ALTNAME_INVALID|Hostname/i);
    } finally {
      await guarded.close();
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });
});

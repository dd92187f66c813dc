import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchError, UnsafeUrlError } from "./errors";
import { createGuardedDispatcher } from "@docent/outbound/dispatcher";
import { checkUrl, fetchUrlConditionally, fetchUrlSafely, isPublicAddress, policyOf, type ResolvedAddress } from "./fetch";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

describe("address policy", () => {
  it.each([
    "127.0.0.1", "127.255.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.10",
    "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.100.100.200", "0.0.0.0", "224.0.0.1",
    "255.255.255.255", "240.0.0.1", "192.0.0.192", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
    "64:ff9b::a00:1", "2002:a00:1::1", "not-an-ip",
  ])("refuses %s", (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows public %s", (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe("checkUrl refuses unsafe URLs before connecting", () => {
  const neverResolve = async (): Promise<ResolvedAddress[]> => {
    throw new Error("must not resolve IP literals");
  };

  it.each([
    ["http://127.0.0.1/", "127.0.0.1"],
    ["http://2130706433/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://0x7f.0.0.1/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://[::1]/", "::1"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["http://[::ffff:a9fe:a9fe]/latest/meta-data/", "::ffff:a9fe:a9fe"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://10.0.0.1:8080/admin", "10.0.0.1"],
    ["http://192.168.1.1/", "192.168.1.1"],
    ["http://100.64.1.1/", "100.64.1.1"],
    ["http://0/", "0.0.0.0"],
    ["http://[fe80::1]/", "fe80::1"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254"],
  ])("%s", async (url, address) => {
    const error = await rejection(checkUrl(url, { lookup: neverResolve }));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as UnsafeUrlError).message).toContain(address);
    expect((error as UnsafeUrlError).retryable).toBe(false);
  });

  it("refuses other schemes and embedded credentials", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com", "javascript:alert(1)"]) {
      const error = await rejection(checkUrl(url));
      expect(error).toBeInstanceOf(UnsafeUrlError);
      expect((error as Error).message).toMatch(/Only http and https/);
    }
    expect(await rejection(checkUrl("http://user:pw@example.com/"))).toBeInstanceOf(UnsafeUrlError);
    expect(await rejection(checkUrl("not a url"))).toBeInstanceOf(UnsafeUrlError);
  });

  it("refuses a host name that resolves to a private address, even among public ones", async () => {
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "10.0.0.7", family: 4 as const },
    ];
    const error = await rejection(checkUrl("https://intranet.example.com/", { lookup }));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toContain("10.0.0.7");
  });

  it("refuses localhost through the real resolver", async () => {
    expect(await rejection(checkUrl("http://localhost:9/"))).toBeInstanceOf(UnsafeUrlError);
  });
});

describe("fetchUrlSafely against a local server", () => {
  let server: http.Server;
  let port = 0;
  let hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      const url = new URL(req.url ?? "/", "http://x");
      const to = url.searchParams.get("to");
      switch (url.pathname) {
        case "/page":
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end("<html><body><p>Hello from the test server.</p></body></html>");
          return;
        case "/gzip":
          res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
          res.end(gzipSync("compressed body text"));
          return;
        case "/redirect":
          res.writeHead(302, { location: to ?? "/page" });
          res.end();
          return;
        case "/loop":
          res.writeHead(301, { location: `/loop?n=${Number(url.searchParams.get("n") ?? 0) + 1}` });
          res.end();
          return;
        case "/big":
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("x".repeat(200_000));
          return;
        case "/unavailable":
          res.writeHead(503);
          res.end();
          return;
        case "/missing":
          res.writeHead(404);
          res.end();
          return;
        case "/validated": {
          const etag = '"v1"';
          const lastModified = "Tue, 01 Dec 2026 10:00:00 GMT";
          if (req.headers["if-none-match"] === etag || req.headers["if-modified-since"] === lastModified) {
            res.writeHead(304, { etag, "last-modified": lastModified });
            res.end();
            return;
          }
          res.writeHead(200, { "content-type": "text/html", etag, "last-modified": lastModified });
          res.end("<p>validated</p>");
          return;
        }
        case "/hang":
          return; // never answers
        default:
          res.writeHead(404);
          res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A public-looking host name served by the test server; only 127.0.0.1:<port> is let through. */
  const options = () => ({
    lookup: async (host: string): Promise<ResolvedAddress[]> => {
      if (host === "docs.example.test") return [{ address: "127.0.0.1", family: 4 }];
      if (host === "internal.example.test") return [{ address: "10.0.0.1", family: 4 }];
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    },
    allowAddress: (address: string, p: number) => address === "127.0.0.1" && p === port,
  });

  it("fetches through the pinned, checked address", async () => {
    const result = await fetchUrlSafely(`http://docs.example.test:${port}/page`, options());
    expect(new TextDecoder().decode(result.bytes)).toContain("Hello from the test server.");
    expect(result.contentType).toBe("text/html; charset=utf-8");
    expect(result.finalUrl).toBe(`http://docs.example.test:${port}/page`);
  });

  it("sends the validators of an earlier answer and reports 304 as not modified, without a body", async () => {
    const url = `http://docs.example.test:${port}/validated`;
    const first = await fetchUrlConditionally(url, {}, options());
    expect(first).toMatchObject({ notModified: false, etag: '"v1"', lastModified: "Tue, 01 Dec 2026 10:00:00 GMT" });
    expect(await fetchUrlConditionally(url, { etag: '"v1"' }, options())).toEqual({ notModified: true, finalUrl: url, etag: '"v1"', lastModified: "Tue, 01 Dec 2026 10:00:00 GMT" });
    expect(await fetchUrlConditionally(url, { lastModified: "Tue, 01 Dec 2026 10:00:00 GMT" }, options())).toMatchObject({ notModified: true });
    expect(await fetchUrlConditionally(url, { etag: '"v0"' }, options())).toMatchObject({ notModified: false });
  });

  it("checks every redirect through a caller's shared dispatcher too", async () => {
    const dispatcher = createGuardedDispatcher(policyOf(options()));
    try {
      const ok = await fetchUrlConditionally(`http://docs.example.test:${port}/redirect?to=/page`, {}, { ...options(), dispatcher });
      expect(ok.finalUrl).toBe(`http://docs.example.test:${port}/page`);
      const error = await rejection(fetchUrlConditionally(`http://docs.example.test:${port}/redirect?to=${encodeURIComponent("http://internal.example.test/")}`, {}, { ...options(), dispatcher }));
      expect(error).toBeInstanceOf(UnsafeUrlError);
      expect((error as Error).message).toContain("10.0.0.1");
    } finally {
      await dispatcher.destroy();
    }
  });

  it("follows a safe redirect and decodes gzip", async () => {
    const result = await fetchUrlSafely(`http://docs.example.test:${port}/redirect?to=/gzip`, options());
    expect(new TextDecoder().decode(result.bytes)).toBe("compressed body text");
    expect(result.finalUrl).toBe(`http://docs.example.test:${port}/gzip`);
  });

  it.each([
    ["http://10.0.0.1/", "10.0.0.1"],
    ["http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254"],
    ["http://[::1]:PORT/page", "::1"],
    ["http://0177.0.0.1:OTHER/page", "127.0.0.1"],
    ["http://internal.example.test/", "10.0.0.1"],
  ])("refuses a redirect to %s", async (target, address) => {
    hits = [];
    // OTHER: loopback on a port the test allowance does not cover.
    const to = encodeURIComponent(target.replace("PORT", String(port)).replace("OTHER", String(port + 1)));
    const error = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/redirect?to=${to}`, options()));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toContain(address);
    expect(hits).toEqual([`/redirect?to=${to}`]);
  });

  it("stops after five redirects", async () => {
    hits = [];
    const error = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/loop`, options()));
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).message).toMatch(/Too many redirects/);
    expect((error as FetchError).retryable).toBe(false);
    expect(hits).toHaveLength(6);
  });

  it("enforces the size limit", async () => {
    const error = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/big`, { ...options(), maxBytes: 50_000 }));
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).message).toMatch(/larger than/);
    expect((error as FetchError).retryable).toBe(false);
  });

  it("marks 5xx as retryable and 404 as not", async () => {
    const unavailable = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/unavailable`, options()));
    expect(unavailable).toBeInstanceOf(FetchError);
    expect((unavailable as FetchError).retryable).toBe(true);
    expect((unavailable as FetchError).remoteStatus).toBe(503);
    const missing = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/missing`, options()));
    expect((missing as FetchError).retryable).toBe(false);
    expect((missing as FetchError).message).toContain("404");
  });

  it("gives up after the time limit with a retryable error", async () => {
    const error = await rejection(fetchUrlSafely(`http://docs.example.test:${port}/hang`, { ...options(), timeoutMs: 300 }));
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).message).toMatch(/timed out/);
    expect((error as FetchError).retryable).toBe(true);
  });

  it("connects only to the address it checked, even if DNS answers differently later", async () => {
    let calls = 0;
    const rebinding = {
      ...options(),
      lookup: async (): Promise<ResolvedAddress[]> => {
        calls++;
        return calls === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.1", family: 4 }];
      },
    };
    const result = await fetchUrlSafely(`http://rebind.example.test:${port}/page`, rebinding);
    expect(new TextDecoder().decode(result.bytes)).toContain("Hello");
    expect(calls).toBe(1);
    // The next connection to the name resolves and checks it again: now refused.
    const error = await rejection(fetchUrlSafely(`http://rebind.example.test:${port}/redirect?to=/page`, rebinding));
    expect(error).toBeInstanceOf(UnsafeUrlError);
  });

  it("refuses the test server itself without the test-only allowance", async () => {
    const error = await rejection(fetchUrlSafely(`http://127.0.0.1:${port}/page`));
    expect(error).toBeInstanceOf(UnsafeUrlError);
  });
});

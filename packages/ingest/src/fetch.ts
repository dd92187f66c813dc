/**
 * SSRF-safe URL fetching for URL sources. Each hop (the URL and every redirect, at most
 * five) is checked: http/https only, no credentials, the host resolved and every address
 * it resolves to must be public (see address-policy). The connection then goes to the
 * exact address that was checked (the resolver is pinned), so a DNS answer that changes
 * between check and connect cannot redirect it. Size and time limits are enforced while
 * streaming, and compressed bodies are limited after decompression.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { FetchError, UnsafeUrlError } from "./errors";
import { isPublicAddress, parseIpLiteral } from "./address-policy";

export { isPublicAddress } from "./address-policy";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface FetchUrlOptions {
  /** Largest body accepted, after decompression. Default 50 MB. */
  maxBytes?: number;
  /** Deadline for the whole fetch including redirects. Default 30 s. */
  timeoutMs?: number;
  /** Redirects followed, at most 5 (the default). */
  maxRedirects?: number;
  /** Host name resolver; defaults to the system resolver (all addresses). */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /**
   * Lets an otherwise refused address through (tests serving on 127.0.0.1). The default
   * policy still applies to every other address.
   */
  allowAddress?: (address: string, port: number) => boolean;
  signal?: AbortSignal;
  userAgent?: string;
}

export interface FetchedUrl {
  bytes: Uint8Array;
  contentType: string | null;
  finalUrl: string;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const USER_AGENT = "DocentBot/1.0 (+https://github.com/docent; document ingestion)";

export async function fetchUrlSafely(url: string, opts: FetchUrlOptions = {}): Promise<FetchedUrl> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = Math.min(opts.maxRedirects ?? MAX_REDIRECTS, MAX_REDIRECTS);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;

  let current = url;
  for (let hop = 0; ; hop++) {
    const target = await checkUrl(current, opts);
    let response: http.IncomingMessage;
    try {
      response = await request(target, signal, opts.userAgent ?? USER_AGENT);
    } catch (error) {
      throw networkError(error, target.url, timeout.aborted, timeoutMs);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.destroy();
      if (hop >= maxRedirects) {
        throw new FetchError(`Too many redirects (more than ${maxRedirects}) starting at ${url}.`, { retryable: false });
      }
      try {
        current = new URL(response.headers.location, target.url).toString();
      } catch {
        throw new FetchError(`${target.url.host} redirected to an invalid address.`, { retryable: false });
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
      throw new FetchError(`${target.url.host} answered HTTP ${status} for ${target.url.pathname}.`, {
        retryable,
        remoteStatus: status,
      });
    }
    const length = Number(response.headers["content-length"]);
    if (Number.isFinite(length) && length > maxBytes && !response.headers["content-encoding"]) {
      response.destroy();
      throw tooLarge(maxBytes);
    }
    try {
      const bytes = await readBody(response, maxBytes);
      const contentType = response.headers["content-type"] ?? null;
      return { bytes, contentType, finalUrl: target.url.toString() };
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw networkError(error, target.url, timeout.aborted, timeoutMs);
    }
  }
}

export interface CheckedTarget {
  url: URL;
  host: string;
  port: number;
  address: ResolvedAddress;
}

/**
 * Validates a URL and resolves its host, refusing anything but public addresses. Usable on
 * its own to reject a bad URL at submission time, before queueing a fetch.
 */
export async function checkUrl(
  raw: string,
  opts: Pick<FetchUrlOptions, "lookup" | "allowAddress"> = {},
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(`"${truncate(raw)}" is not a valid URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UnsafeUrlError(`Only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, "")}.`);
  }
  if (url.username || url.password) {
    throw new UnsafeUrlError("URLs with a user name or password in them are not allowed.");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;

  // The WHATWG parser has already turned 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1.
  const literal = parseIpLiteral(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: literal, family: literal.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await (opts.lookup ?? systemLookup)(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new FetchError(`The host ${host} could not be resolved.`, {
        retryable: code === "EAI_AGAIN" || code === "ETIMEOUT",
        cause: error,
      });
    }
    if (addresses.length === 0) {
      throw new FetchError(`The host ${host} could not be resolved.`, { retryable: false });
    }
  }
  for (const candidate of addresses) {
    const allowed = isPublicAddress(candidate.address) || opts.allowAddress?.(candidate.address, port) === true;
    if (!allowed) {
      throw new UnsafeUrlError(
        `The URL points to a private or internal network address (${candidate.address}); only public web addresses can be fetched.`,
      );
    }
  }
  return { url, host, port, address: addresses[0]! };
}

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

function request(target: CheckedTarget, signal: AbortSignal, userAgent: string): Promise<http.IncomingMessage> {
  const { address, family } = target.address;
  // Every lookup the socket makes answers with the checked address.
  const pinned = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const isHttps = target.url.protocol === "https:";
  const client = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: target.url.protocol,
        hostname: target.host,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        method: "GET",
        agent: false,
        lookup: pinned,
        signal,
        headers: {
          "user-agent": userAgent,
          accept: "text/html,application/xhtml+xml,application/pdf,text/plain,text/markdown,text/csv,application/json;q=0.9,*/*;q=0.5",
          "accept-encoding": "gzip, deflate, br",
          host: target.url.host,
        },
        ...(isHttps && !parseIpLiteral(target.host) ? { servername: target.host } : {}),
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
}

async function readBody(response: http.IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const encoding = String(response.headers["content-encoding"] ?? "").toLowerCase().trim();
  let stream: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip") stream = response.pipe(zlib.createGunzip());
  else if (encoding === "deflate") stream = response.pipe(zlib.createInflate());
  else if (encoding === "br") stream = response.pipe(zlib.createBrotliDecompress());
  if (stream !== response) response.on("error", (error) => stream.destroy(error));

  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const part of stream) {
      const buffer = part as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      parts.push(buffer);
    }
  } finally {
    response.destroy();
    if (stream !== response) stream.destroy();
  }
  const out = Buffer.concat(parts, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function tooLarge(maxBytes: number): FetchError {
  return new FetchError(`The page is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`, {
    retryable: false,
    statusCode: 413,
  });
}

function networkError(error: unknown, url: URL, timedOut: boolean, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  if (timedOut) {
    return new FetchError(`Fetching ${url.host} timed out after ${Math.round(timeoutMs / 1000)} s.`, {
      retryable: true,
      cause: error,
    });
  }
  if ((error as { name?: string }).name === "AbortError") {
    return new FetchError(`Fetching ${url.host} was cancelled.`, { retryable: true, cause: error });
  }
  const code = (error as { code?: string }).code;
  const tls = typeof code === "string" && /CERT|SSL|TLS/.test(code);
  return new FetchError(
    tls
      ? `The secure connection to ${url.host} failed (${code}).`
      : `Could not connect to ${url.host}${code ? ` (${code})` : ""}.`,
    { retryable: !tls, cause: error },
  );
}

function truncate(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}...` : s;
}

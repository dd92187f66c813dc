/**
 * SSRF-safe URL fetching for URL sources. Each hop (the URL and every redirect, at most
 * five) is checked: http/https only, no credentials. Connections go through the guarded
 * dispatcher of @docent/outbound, the same one that carries workspace model calls: it
 * resolves the host when it connects, refuses the connection if any address is not public
 * and connects to the address it checked, so a DNS answer that changes between check and
 * connect cannot redirect it. Size and time limits are enforced while streaming, and
 * compressed bodies are limited after decompression.
 */
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { type AddressPolicy, resolveAllowedAddresses, type ResolvedAddress } from "@docent/outbound/resolve";
import { createGuardedDispatcher } from "@docent/outbound/dispatcher";
import { findHostResolutionError, findUnsafeAddressError, HostResolutionError, UnsafeAddressError } from "@docent/outbound/errors";
import type { Dispatcher } from "undici";
import { FetchError, UnsafeUrlError } from "./errors";

export { isPublicAddress } from "@docent/outbound/address-policy";
export type { ResolvedAddress } from "@docent/outbound/resolve";

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
  /**
   * A guarded dispatcher (createGuardedDispatcher) the caller owns and reuses across
   * fetches (a crawl keeps its connections alive). Built from the same policy options
   * otherwise, and closed after the fetch.
   */
  dispatcher?: Dispatcher;
  /** The Accept header; default: documents of every kind Docent reads. */
  accept?: string;
}

export interface FetchedUrl {
  bytes: Uint8Array;
  contentType: string | null;
  finalUrl: string;
}

/** Validators of an earlier answer: a conditional request may come back 304. */
export interface ConditionalRequest {
  etag?: string | null;
  lastModified?: string | null;
}

export type ConditionalFetch =
  | (FetchedUrl & { notModified: false; etag: string | null; lastModified: string | null })
  | { notModified: true; finalUrl: string; etag: string | null; lastModified: string | null };

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const USER_AGENT = "DocentBot/1.0 (+https://github.com/docent; document ingestion)";
const ACCEPT =
  "text/html,application/xhtml+xml,application/pdf,text/plain,text/markdown,text/csv,application/json;q=0.9,*/*;q=0.5";

export async function fetchUrlSafely(url: string, opts: FetchUrlOptions = {}): Promise<FetchedUrl> {
  const result = await fetchGuarded(url, opts, {});
  if (result.notModified) throw new FetchError(`${new URL(result.finalUrl).host} answered 304 to an unconditional request.`, { retryable: false });
  return { bytes: result.bytes, contentType: result.contentType, finalUrl: result.finalUrl };
}

/**
 * Like fetchUrlSafely, with the validators of an earlier answer sent as If-None-Match /
 * If-Modified-Since: an unchanged resource answers 304 and costs no body. The answer's
 * own validators come back for the next time.
 */
export async function fetchUrlConditionally(
  url: string,
  conditional: ConditionalRequest,
  opts: FetchUrlOptions = {},
): Promise<ConditionalFetch> {
  return fetchGuarded(url, opts, conditional);
}

async function fetchGuarded(url: string, opts: FetchUrlOptions, conditional: ConditionalRequest): Promise<ConditionalFetch> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = Math.min(opts.maxRedirects ?? MAX_REDIRECTS, MAX_REDIRECTS);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  // One dispatcher per fetch: its connections live only as long as this fetch.
  const dispatcher = opts.dispatcher ?? createGuardedDispatcher(policyOf(opts));
  const conditionalHeaders: Record<string, string> = {
    ...(conditional.etag ? { "if-none-match": conditional.etag } : {}),
    ...(conditional.lastModified ? { "if-modified-since": conditional.lastModified } : {}),
  };

  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const target = parseFetchableUrl(current);
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: "GET",
          signal,
          headers: {
            "user-agent": opts.userAgent ?? USER_AGENT,
            accept: opts.accept ?? ACCEPT,
            "accept-encoding": "gzip, deflate, br",
            ...conditionalHeaders,
          },
        });
      } catch (error) {
        throw networkError(error, target, timeout.aborted, timeoutMs);
      }
      const status = response.statusCode;
      const validators = { etag: header(response.headers, "etag") ?? null, lastModified: header(response.headers, "last-modified") ?? null };
      if (status === 304 && Object.keys(conditionalHeaders).length > 0) {
        discard(response.body);
        return { notModified: true, finalUrl: target.toString(), ...validators };
      }
      const location = header(response.headers, "location");
      if (status >= 300 && status < 400 && location) {
        discard(response.body);
        if (hop >= maxRedirects) {
          throw new FetchError(`Too many redirects (more than ${maxRedirects}) starting at ${url}.`, { retryable: false });
        }
        try {
          current = new URL(location, target).toString();
        } catch {
          throw new FetchError(`${target.host} redirected to an invalid address.`, { retryable: false });
        }
        continue;
      }
      if (status < 200 || status >= 300) {
        discard(response.body);
        const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
        throw new FetchError(`${target.host} answered HTTP ${status} for ${target.pathname}.`, {
          retryable,
          remoteStatus: status,
        });
      }
      const encoding = header(response.headers, "content-encoding");
      const length = Number(header(response.headers, "content-length"));
      if (Number.isFinite(length) && length > maxBytes && !encoding) {
        discard(response.body);
        throw tooLarge(maxBytes);
      }
      try {
        const bytes = await readBody(response.body, encoding, maxBytes);
        return {
          notModified: false,
          bytes,
          contentType: header(response.headers, "content-type") ?? null,
          finalUrl: target.toString(),
          ...validators,
        };
      } catch (error) {
        if (error instanceof FetchError) throw error;
        throw networkError(error, target, timeout.aborted, timeoutMs);
      }
    }
  } finally {
    if (!opts.dispatcher) await dispatcher.destroy().catch(() => {});
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
 * its own to reject a bad URL at submission time, before queueing a fetch; the fetch
 * itself checks again when it connects.
 */
export async function checkUrl(
  raw: string,
  opts: Pick<FetchUrlOptions, "lookup" | "allowAddress"> & Pick<AddressPolicy, "allowPrivate"> = {},
): Promise<CheckedTarget> {
  const url = parseFetchableUrl(raw);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  try {
    const addresses = await resolveAllowedAddresses(host, port, policyOf(opts));
    return { url, host, port, address: addresses[0]! };
  } catch (error) {
    throw policyError(error);
  }
}

/** http(s) only, no credentials. The WHATWG parser turns 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1. */
function parseFetchableUrl(raw: string): URL {
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
  return url;
}

export function policyOf(opts: Pick<FetchUrlOptions, "lookup" | "allowAddress"> & Pick<AddressPolicy, "allowPrivate">): AddressPolicy {
  return {
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    ...(opts.allowAddress ? { allowAddress: opts.allowAddress } : {}),
    ...(opts.allowPrivate ? { allowPrivate: true } : {}),
  };
}

/** The address policy's refusals in this package's error family; anything else unchanged. */
function policyError(error: unknown): unknown {
  const unsafe = error instanceof UnsafeAddressError ? error : findUnsafeAddressError(error);
  if (unsafe) {
    return new UnsafeUrlError(
      `The URL points to a private or internal network address (${unsafe.address}); only public web addresses can be fetched.`,
      { cause: unsafe },
    );
  }
  const unresolved = error instanceof HostResolutionError ? error : findHostResolutionError(error);
  if (unresolved) {
    return new FetchError(unresolved.message, { retryable: unresolved.retryable, cause: unresolved });
  }
  return error;
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(body: Readable, contentEncoding: string | undefined, maxBytes: number): Promise<Uint8Array> {
  const encoding = String(contentEncoding ?? "").toLowerCase().trim();
  let stream: Readable = body;
  if (encoding === "gzip" || encoding === "x-gzip") stream = body.pipe(zlib.createGunzip());
  else if (encoding === "deflate") stream = body.pipe(zlib.createInflate());
  else if (encoding === "br") stream = body.pipe(zlib.createBrotliDecompress());
  if (stream !== body) body.on("error", (error) => stream.destroy(error));

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
    discard(body);
    if (stream !== body) stream.destroy();
  }
  const out = Buffer.concat(parts, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Drops a body not (fully) read; undici reports the abort as an error nobody needs. */
function discard(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

function tooLarge(maxBytes: number): FetchError {
  return new FetchError(`The page is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`, {
    retryable: false,
    statusCode: 413,
  });
}

function networkError(error: unknown, url: URL, timedOut: boolean, timeoutMs: number): unknown {
  if (error instanceof FetchError || error instanceof UnsafeUrlError) return error;
  const policy = policyError(error);
  if (policy !== error) return policy;
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

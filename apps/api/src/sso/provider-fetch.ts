/**
 * The one fetch every request to an identity provider goes through (discovery, JWKS,
 * token, user info, GitHub's API). Providers are the operator's own configuration, so
 * private and loopback addresses are allowed (a Keycloak on the LAN); cloud-metadata
 * addresses stay refused (@docent/outbound). Each request is bounded by SSO_TIMEOUT_MS.
 *
 * A provider that cannot be reached, times out or answers 5xx raises
 * `ProviderUnavailableError`: the sign-in answers 503 with Retry-After instead of failing
 * in some less readable way further down.
 */
import { createGuardedFetch } from "@docent/outbound/dispatcher";
import { findUnsafeAddressError } from "@docent/outbound/errors";

export class ProviderUnavailableError extends Error {
  /** "connection refused", "timed out after 10000 ms", "answered 503"... */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`identity provider unavailable: ${reason}`, options);
    this.name = "ProviderUnavailableError";
    this.reason = reason;
  }
}

export type ProviderFetch = (url: string, init?: RequestInit) => Promise<Response>;

function describe(error: unknown, timeoutMs: number): string {
  const unsafe = findUnsafeAddressError(error);
  if (unsafe) return unsafe.message;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const e = current as { name?: string; code?: string };
    if (e.name === "TimeoutError" || e.code === "UND_ERR_CONNECT_TIMEOUT" || e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "UND_ERR_BODY_TIMEOUT") {
      return `no answer within ${timeoutMs} ms`;
    }
    if (e.code === "ECONNREFUSED") return "connection refused";
    if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return "its host name does not resolve";
    if (e.code === "ECONNRESET" || e.code === "UND_ERR_SOCKET") return "the connection was reset";
    if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) return e.code;
    current = (current as { cause?: unknown }).cause;
  }
  return "the request failed";
}

export function createProviderFetch(options: { timeoutMs: number }): { fetch: ProviderFetch; close(): Promise<void> } {
  const { timeoutMs } = options;
  const guarded = createGuardedFetch(
    { allowPrivate: true },
    { connectTimeoutMs: timeoutMs, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs },
  );
  const providerFetch: ProviderFetch = async (url, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let response: Response;
    try {
      response = await guarded.fetch(url, { ...init, signal });
    } catch (error) {
      throw new ProviderUnavailableError(describe(error, timeoutMs), { cause: error });
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => {});
      throw new ProviderUnavailableError(`answered ${response.status}`);
    }
    return response;
  };
  return { fetch: providerFetch, close: () => guarded.close() };
}

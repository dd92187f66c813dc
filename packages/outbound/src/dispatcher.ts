/**
 * An undici dispatcher that applies the address policy at connect time: every new
 * connection resolves its host, checks every address (see resolve.ts) and connects to the
 * checked address itself, so DNS that answers differently between a check and the
 * connection (rebinding) cannot redirect it. TLS still verifies the certificate against
 * the URL's host name (SNI and identity use it, not the address). Reused keep-alive
 * connections stay on the address checked when they opened.
 *
 * `createGuardedFetch` wraps undici's own fetch with it, for SDKs that take a `fetch`
 * option (the `openai` client).
 */
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { parseIpLiteral } from "./address-policy";
import { type AddressPolicy, resolveAllowedAddresses } from "./resolve";

export interface GuardedDispatcherOptions {
  /** Response-header and body-inactivity limits of the agent (undici defaults: 300 s). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** TCP/TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Extra trusted CA certificates (PEM), for tests with a self-signed server. */
  ca?: string;
}

export function createGuardedDispatcher(policy: AddressPolicy = {}, options: GuardedDispatcherOptions = {}): Agent {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const guarded: buildConnector.connector = (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === "https:" ? 443 : 80);
    resolveAllowedAddresses(connectOptions.hostname, port, policy).then(
      ([checked]) => {
        const isLiteral = parseIpLiteral(connectOptions.hostname) !== null;
        connect(
          {
            ...connectOptions,
            hostname: checked!.address,
            // TLS: SNI and certificate identity for the URL's host name, not the address.
            ...(connectOptions.protocol === "https:" && !isLiteral
              ? { servername: connectOptions.servername || connectOptions.hostname }
              : {}),
          },
          callback,
        );
      },
      (error: Error) => callback(error, null),
    );
  };
  return new Agent({
    connect: guarded,
    ...(options.headersTimeoutMs !== undefined ? { headersTimeout: options.headersTimeoutMs } : {}),
    ...(options.bodyTimeoutMs !== undefined ? { bodyTimeout: options.bodyTimeoutMs } : {}),
  });
}

export interface GuardedFetch {
  /** A WHATWG fetch whose connections go through the guarded dispatcher. */
  fetch: typeof globalThis.fetch;
  dispatcher: Agent;
  close(): Promise<void>;
}

export function createGuardedFetch(policy: AddressPolicy = {}, options: GuardedDispatcherOptions = {}): GuardedFetch {
  const dispatcher = createGuardedDispatcher(policy, options);
  const guardedFetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
  return { fetch: guardedFetch, dispatcher, close: () => dispatcher.close() };
}

const shared = new Map<boolean, GuardedFetch>();

/**
 * A process-wide guarded fetch with the default resolver: public addresses only, or with
 * `allowPrivate` (ALLOW_PRIVATE_MODEL_URLS) private ones too. Shared so connections are
 * reused across requests; callers given no fetch use the strict one, so a tenant-chosen
 * URL is never fetched unguarded.
 */
export function sharedGuardedFetch(allowPrivate = false): typeof globalThis.fetch {
  let guarded = shared.get(allowPrivate);
  if (!guarded) {
    // Header and body limits at LLM_TIMEOUT_MS's ceiling (10 min); the SDKs' own timeouts
    // end a request sooner.
    guarded = createGuardedFetch(allowPrivate ? { allowPrivate: true } : {}, {
      headersTimeoutMs: 600_000,
      bodyTimeoutMs: 600_000,
    });
    shared.set(allowPrivate, guarded);
  }
  return guarded.fetch;
}

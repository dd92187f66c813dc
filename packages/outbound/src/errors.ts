/** Why an outbound connection was not made. Both carry a message a person understands. */

/** The host is, or resolves to, an address the policy refuses (private, loopback, metadata...). */
export class UnsafeAddressError extends Error {
  readonly code = "unsafe_address";
  readonly retryable = false;

  constructor(
    /** The host name or IP literal of the URL. */
    readonly host: string,
    /** The refused address it is or resolved to. */
    readonly address: string,
  ) {
    super(
      host === address
        ? `${address} is a private or internal network address; only public addresses may be reached.`
        : `${host} resolves to a private or internal network address (${address}); only public addresses may be reached.`,
    );
    this.name = "UnsafeAddressError";
  }
}

/** The host name did not resolve. `code` is the resolver's (ENOTFOUND, EAI_AGAIN...). */
export class HostResolutionError extends Error {
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(readonly host: string, options: { code?: string; cause?: unknown }) {
    super(`The host ${host} could not be resolved.`, { cause: options.cause });
    this.name = "HostResolutionError";
    this.code = options.code;
    this.retryable = options.code === "EAI_AGAIN" || options.code === "ETIMEOUT";
  }
}

/** The UnsafeAddressError somewhere in an error's `cause` chain (fetch and SDKs wrap it). */
export function findUnsafeAddressError(error: unknown): UnsafeAddressError | undefined {
  for (let current = error, depth = 0; current && depth < 10; depth++) {
    if (current instanceof UnsafeAddressError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Same for HostResolutionError. */
export function findHostResolutionError(error: unknown): HostResolutionError | undefined {
  for (let current = error, depth = 0; current && depth < 10; depth++) {
    if (current instanceof HostResolutionError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Resolves a host and checks every address it resolves to against the policy. A host
 * with one refused address among public ones is refused: a connection could land on any
 * of them. IP literals are checked as they are, without a lookup.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { isMetadataAddress, isPublicAddress, parseIpLiteral } from "./address-policy";
import { HostResolutionError, UnsafeAddressError } from "./errors";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AddressPolicy {
  /**
   * Private, loopback and link-local addresses are allowed too (an operator's
   * ALLOW_PRIVATE_MODEL_URLS for self-hosted model servers). Cloud-metadata addresses
   * stay refused.
   */
  allowPrivate?: boolean;
  /** Lets an otherwise refused address through (tests serving on 127.0.0.1). */
  allowAddress?: (address: string, port: number) => boolean;
  /** Host name resolver; defaults to the system resolver (every address). */
  lookup?: HostLookup;
}

export function isAllowedAddress(address: string, port: number, policy: AddressPolicy): boolean {
  if (isPublicAddress(address)) return true;
  if (policy.allowAddress?.(address, port) === true) return true;
  return policy.allowPrivate === true && !isMetadataAddress(address) && parseIpLiteral(address) !== null;
}

/**
 * Every address of `host`, each allowed by the policy; throws UnsafeAddressError naming
 * the first refused one, or HostResolutionError.
 */
export async function resolveAllowedAddresses(
  host: string,
  port: number,
  policy: AddressPolicy = {},
): Promise<ResolvedAddress[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  const literal = parseIpLiteral(bare);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: literal, family: literal.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(bare);
    } catch (error) {
      throw new HostResolutionError(bare, { code: (error as { code?: string }).code, cause: error });
    }
    if (addresses.length === 0) throw new HostResolutionError(bare, { code: "ENOTFOUND" });
  }
  for (const candidate of addresses) {
    if (!isAllowedAddress(candidate.address, port, policy)) throw new UnsafeAddressError(bare, candidate.address);
  }
  return addresses;
}

export async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

export { isMetadataAddress, isPublicAddress, parseIpLiteral } from "./address-policy";
export {
  findHostResolutionError,
  findUnsafeAddressError,
  HostResolutionError,
  UnsafeAddressError,
} from "./errors";
export {
  isAllowedAddress,
  resolveAllowedAddresses,
  systemLookup,
  type AddressPolicy,
  type HostLookup,
  type ResolvedAddress,
} from "./resolve";
export {
  createGuardedDispatcher,
  createGuardedFetch,
  sharedGuardedFetch,
  type GuardedDispatcherOptions,
  type GuardedFetch,
} from "./dispatcher";

/**
 * Which IP addresses a server-side connection to a tenant-chosen URL may reach: public
 * unicast only. Private, loopback, link-local, CGNAT, multicast, broadcast, unspecified,
 * reserved, documentation and cloud-metadata addresses are refused, for IPv4 and IPv6
 * alike; IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 and 6to4/Teredo
 * forms are refused too, since they can reach an IPv4 host through the back door.
 */
import ipaddr from "ipaddr.js";

/** Metadata endpoints that are not already inside a refused range, listed to be explicit. */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254"]);

function parse(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const address = ipaddr.parse(ip.replace(/^\[|\]$/g, ""));
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (address as ipaddr.IPv6).toIPv4Address();
    }
    return address;
  } catch {
    return null;
  }
}

export function isPublicAddress(ip: string): boolean {
  const address = parse(ip);
  if (!address) return false;
  // ::/96, the deprecated IPv4-compatible form (and :: itself).
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false;
  if (isMetadataAddress(ip)) return false;
  return address.range() === "unicast";
}

/**
 * Cloud instance-metadata endpoints (credentials live there). Refused even where an
 * operator allows private addresses for self-hosted model servers.
 */
export function isMetadataAddress(ip: string): boolean {
  const address = parse(ip);
  if (!address) return false;
  return METADATA_ADDRESSES.has(address.toNormalizedString()) || METADATA_ADDRESSES.has(address.toString());
}

/** Canonical text of an IP literal (URL hosts keep IPv6 in brackets), or null if not one. */
export function parseIpLiteral(host: string): string | null {
  const bare = host.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toString() : null;
}

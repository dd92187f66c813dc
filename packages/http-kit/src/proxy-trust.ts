/**
 * TRUST_PROXY of the api and chat services: which peers may tell us the client address
 * through X-Forwarded-For (used for rate limits and logs). A client that can reach the
 * service directly must not be trusted, or it can claim any address it likes.
 *
 *   false (default)  no peer; the socket address is the client
 *   true             any peer (only behind a proxy that is the sole way in)
 *   2                the nearest N hops
 *   a list           addresses, CIDRs, `loopback` / `linklocal` / `uniquelocal`, and host
 *                    names such as compose's `admin` (the nginx service): names are
 *                    resolved at start and every 30 s, so a proxy that gets a new address
 *                    when it is recreated stays trusted and nothing else is
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import proxyAddr from "@fastify/proxy-addr";
import { z } from "zod";

const KEYWORDS = new Set(["loopback", "linklocal", "uniquelocal"]);
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

type Entry = { kind: "address"; value: string } | { kind: "name"; value: string };

function parseEntry(raw: string): Entry | string {
  const value = raw.trim();
  if (KEYWORDS.has(value)) return { kind: "address", value };
  const [address = "", prefix, ...rest] = value.split("/");
  const version = isIP(address);
  if (version) {
    if (rest.length > 0) return `"${value}" is not an address or a CIDR`;
    if (prefix === undefined) return { kind: "address", value };
    const bits = version === 4 ? 32 : 128;
    if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits) return { kind: "address", value };
    if (version === 4 && isIP(prefix) === 4) return { kind: "address", value }; // netmask form, 10.0.0.0/255.0.0.0
    return `"${value}" has an invalid prefix length (0-${bits})`;
  }
  if (prefix === undefined && HOSTNAME.test(value) && !/^[\d.]+$/.test(value)) return { kind: "name", value };
  return `"${value}" is not an address, CIDR, keyword (loopback, linklocal, uniquelocal) or host name`;
}

/** The env field: "true", "false", a hop count, or a comma-separated list (see above). */
export const trustProxyField = z
  .string()
  .default("false")
  .superRefine((value, ctx) => {
    if (value === "true" || value === "false" || /^\d+$/.test(value)) return;
    for (const raw of value.split(",")) {
      const entry = parseEntry(raw);
      if (typeof entry === "string") ctx.addIssue({ code: "custom", message: entry });
    }
  });

export type TrustProxy = boolean | string | ((address: string, hop: number) => boolean);

export interface ProxyTrustOptions {
  /** How often host names are resolved again. */
  refreshMs?: number;
  lookup?: (name: string) => Promise<string[]>;
}

const defaultLookup = async (name: string) => (await dnsLookup(name, { all: true })).map((a) => a.address);

/** Fastify's `trustProxy` for a TRUST_PROXY value that passed `trustProxyField`. */
export function proxyTrust(value: string, options: ProxyTrustOptions = {}): TrustProxy {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  const entries = value.split(",").map(parseEntry).filter((e): e is Entry => typeof e !== "string");
  const names = entries.filter((e) => e.kind === "name").map((e) => e.value);
  const addresses = entries.filter((e) => e.kind === "address").map((e) => e.value);
  if (names.length === 0) return addresses.join(",");

  const fixed = addresses.length > 0 ? proxyAddr.compile(addresses) : () => false;
  const lookup = options.lookup ?? defaultLookup;
  let resolved = new Set<string>();
  const refresh = async () => {
    const next = new Set<string>();
    for (const name of names) {
      // A name that does not resolve yet (the proxy starts after us) trusts nobody.
      for (const address of await lookup(name).catch(() => [] as string[])) next.add(normalise(address));
    }
    resolved = next;
  };
  void refresh();
  setInterval(() => void refresh(), options.refreshMs ?? 30_000).unref();
  return (address, hop) => fixed(address, hop) || resolved.has(normalise(address));
}

/** "::ffff:10.0.0.5" (IPv4 on a dual-stack socket) and "10.0.0.5" are the same peer. */
const normalise = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

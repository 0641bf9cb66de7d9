import { isIPv4, isIPv6 } from "node:net";

/** One address of a server, from nova's `addresses` (network name -> list). */
export interface ServerAddress {
  /** The network's name as nova reports it (nova keys addresses by name, not id). */
  readonly network: string;
  readonly address: string;
  readonly version: 4 | 6;
  /** "fixed" when nova does not say (clouds without the OS-EXT-IPS extension). */
  readonly type: "fixed" | "floating";
  readonly mac?: string;
}

/** The reachable addresses oaktree derives from a server's addresses. */
export interface ServerIps {
  readonly publicV4?: string;
  readonly privateV4?: string;
  readonly publicV6?: string;
  /** The address to talk to the server on: publicV4, else publicV6, else privateV4. */
  readonly interfaceIp?: string;
}

function v4Octets(address: string): number[] | undefined {
  return isIPv4(address) ? address.split(".").map(Number) : undefined;
}

/**
 * Whether an IPv4 address is routable on the internet: not RFC 1918 (10/8, 172.16/12,
 * 192.168/16), not carrier-grade NAT (100.64/10), loopback, link-local, "this network",
 * multicast or reserved. Documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24)
 * count as public on purpose: simulators and API samples use them as public addresses.
 */
export function isPublicIPv4(address: string): boolean {
  const o = v4Octets(address);
  if (!o) return false;
  const [a = 0, b = 0] = o;
  if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  return true;
}

/**
 * Whether an IPv6 address is global: not loopback/unspecified, link-local (fe80::/10),
 * unique-local (fc00::/7) or multicast (ff00::/8). Documentation space (2001:db8::/32) counts
 * as global, like the IPv4 documentation ranges.
 */
export function isGlobalIPv6(address: string): boolean {
  if (!isIPv6(address)) return false;
  const text = address.toLowerCase();
  if (text === "::1" || text === "::") return false;
  const first = text.startsWith("::") ? 0 : Number.parseInt(text.split(":")[0] ?? "0", 16);
  if ((first & 0xffc0) === 0xfe80) return false;
  if ((first & 0xfe00) === 0xfc00) return false;
  if ((first & 0xff00) === 0xff00) return false;
  return true;
}

/**
 * The public and private addresses of a server, after shade/openstacksdk's cloud layer
 * (`openstack/cloud/meta.py`). Floating addresses come before fixed ones at every step.
 *
 * publicV4, the first rule that yields an address wins:
 * | # | rule                                                                    | typical cloud            |
 * |---|-------------------------------------------------------------------------|--------------------------|
 * | 1 | `accessIPv4` when set                                                    | operator-managed NAT     |
 * | 2 | an IPv4 on a network in `externalNetworks` (name or id)                  | provider networks (OVH)  |
 * | 3 | a floating IPv4                                                          | neutron/nova-network NAT |
 * | 4 | an IPv4 on a network named "public"                                      | Rackspace, devstack      |
 * | 5 | a fixed IPv4 that is not RFC 1918 / CGNAT (see {@link isPublicIPv4})       | public fixed IPs         |
 *
 * privateV4: a fixed IPv4 that is not publicV4 and not on an external network, preferring
 * the one behind the floating IP (same MAC), then one on a network named "private", then an
 * RFC 1918 / CGNAT one, then any.
 *
 * publicV6: `accessIPv6`, else the first global IPv6 ({@link isGlobalIPv6}).
 * interfaceIp: publicV4, else publicV6, else privateV4.
 */
export function serverIps(
  addresses: readonly ServerAddress[],
  access: { readonly accessIPv4?: string; readonly accessIPv6?: string },
  externalNetworks: ReadonlySet<string> = new Set(),
): ServerIps {
  const v4 = [...addresses.filter((a) => a.version === 4)].sort(
    (x, y) => Number(y.type === "floating") - Number(x.type === "floating"),
  );
  const external = (a: ServerAddress) => externalNetworks.has(a.network);
  const publicV4 =
    (access.accessIPv4 || undefined) ??
    v4.find(external)?.address ??
    v4.find((a) => a.type === "floating")?.address ??
    v4.find((a) => a.network === "public")?.address ??
    v4.find((a) => a.type === "fixed" && isPublicIPv4(a.address))?.address;

  const floatingMac = v4.find((a) => a.type === "floating" && a.mac)?.mac;
  const candidates = v4.filter((a) => a.type === "fixed" && a.address !== publicV4 && !external(a));
  const privateV4 = (
    (floatingMac !== undefined ? candidates.find((a) => a.mac === floatingMac) : undefined) ??
    candidates.find((a) => a.network === "private") ??
    candidates.find((a) => !isPublicIPv4(a.address)) ??
    candidates[0]
  )?.address;

  const publicV6 =
    (access.accessIPv6 || undefined) ??
    addresses.find((a) => a.version === 6 && isGlobalIPv6(a.address))?.address;

  const interfaceIp = publicV4 ?? publicV6 ?? privateV4;
  return {
    ...(publicV4 !== undefined && { publicV4 }),
    ...(privateV4 !== undefined && { privateV4 }),
    ...(publicV6 !== undefined && { publicV6 }),
    ...(interfaceIp !== undefined && { interfaceIp }),
  };
}

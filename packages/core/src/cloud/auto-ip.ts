import type { FloatingIp } from "../models/floating-ip.js";
import type { Server } from "../models/server.js";
import { serverIps } from "../models/server-addresses.js";
import type { FloatingIpSource } from "./floating-ip-source.js";

/** What createServer does to make a server reachable, decided by {@link decideAutoIp}. */
export type AutoIpDecision =
  | { readonly action: "none"; readonly reason: string }
  | { readonly action: "floating-ip"; readonly via: "neutron" | "nova" };

/**
 * Does `server` need a floating IP to be reachable? (shade's `_needs_floating_ip`, with the
 * NAT destination check done by the caller on neutron clouds.)
 *
 * - The server already has a public address (a floating IP, a fixed address on an external
 *   network, a public fixed IPv4 such as Rackspace gives, or accessIPv4): nothing to do.
 * - The server has no fixed IPv4 address: nothing a floating IP could point at.
 * - The cloud has no floating IPs (no external network on neutron, no nova-network pool,
 *   or `floating_ip_source: none`): nothing can be done; the reason says why.
 * - Otherwise a floating IP, from neutron or from nova-network, whichever the cloud has.
 *
 * IPv6: a server with only a global IPv6 address still gets a floating IPv4, since many
 * clients cannot reach IPv6; a public IPv4 is what "reachable" means here.
 */
export function decideAutoIp(server: Server, source: FloatingIpSource): AutoIpDecision {
  if (server.publicV4)
    return { action: "none", reason: `the server already has a public address ${server.publicV4}` };
  if (!server.addresses.some((address) => address.version === 4 && address.type === "fixed")) {
    return { action: "none", reason: "the server has no fixed IPv4 address to NAT a floating IP to" };
  }
  if (source.kind === "none")
    return { action: "none", reason: `the cloud has no floating IPs: ${source.reason}` };
  return { action: "floating-ip", via: source.kind };
}

/**
 * The server as it is once `floatingIp` reaches it: nova lists a new floating address only
 * after neutron tells it (and clouds without a dataplane may never), so oaktree adds the
 * address it attached itself and recomputes the public/interface addresses.
 */
export function withFloatingIp(
  server: Server,
  floatingIp: FloatingIp,
  externalNetworks?: ReadonlySet<string>,
): Server {
  if (server.addresses.some((address) => address.address === floatingIp.floatingIpAddress)) return server;
  const fixed = server.addresses.find(
    (address) => address.type === "fixed" && address.address === floatingIp.fixedIpAddress,
  );
  const addresses = [
    ...server.addresses,
    {
      network: fixed?.network ?? "floating",
      address: floatingIp.floatingIpAddress,
      version: 4 as const,
      type: "floating" as const,
      ...(fixed?.mac !== undefined && { mac: fixed.mac }),
    },
  ];
  const ips = serverIps(
    addresses,
    {
      ...(server.accessIPv4 !== undefined && { accessIPv4: server.accessIPv4 }),
      ...(server.accessIPv6 !== undefined && { accessIPv6: server.accessIPv6 }),
    },
    externalNetworks,
  );
  return { ...server, addresses, ...ips };
}

import { NotSupportedError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import { listNovaFloatingIpPools } from "../services/compute/v2/floating-ip-pools/requests.js";
import { type CloudContext, listExternalNetworks } from "./context.js";

/** Which API gives this cloud's floating IPs, and why. */
export interface FloatingIpSource {
  readonly kind: "neutron" | "nova" | "none";
  readonly reason: string;
}

/**
 * Decides where floating IPs come from (memoized per context):
 *
 * - clouds.yaml `floating_ip_source` wins (`neutron`, `nova`, or `none` for clouds whose
 *   servers are reachable without them).
 * - A cloud with neutron uses neutron's floating IPs when it has an external network
 *   (`router:external`); a neutron cloud without one has no floating IPs at all.
 * - A cloud without neutron uses nova's os-floating-ips proxy (nova-network) when nova
 *   lists at least one floating-IP pool.
 * - Otherwise there are none (e.g. Rackspace-style clouds that put public addresses on
 *   servers directly).
 */
export function floatingIpSource(ctx: CloudContext): Promise<FloatingIpSource> {
  return ctx.memo("floating-ip-source", async () => {
    const configured = ctx.connection.config.floatingIpSource;
    if (configured) return { kind: configured, reason: "clouds.yaml floating_ip_source" };
    const network = await ctx.optionalClient("network");
    if (network) {
      const external = await listExternalNetworks(ctx);
      return external.length > 0
        ? { kind: "neutron", reason: `neutron external network ${external[0]?.name ?? external[0]?.id}` }
        : { kind: "none", reason: "neutron has no external network (router:external)" };
    }
    const compute = await ctx.client("compute");
    try {
      const pools = await listNovaFloatingIpPools(compute);
      if (pools.length > 0)
        return { kind: "nova", reason: `nova-network floating IP pool ${pools[0]?.name}` };
    } catch (error) {
      // A cloud without nova-network answers 404 here: it has no floating IPs.
      if (!(error instanceof NotFoundError || error instanceof NotSupportedError)) throw error;
    }
    return { kind: "none", reason: "no neutron and no nova floating-IP pool" };
  });
}

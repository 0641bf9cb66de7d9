import { collect } from "../http/paginate.js";
import type { FloatingIp } from "../models/floating-ip.js";
import type { Server } from "../models/server.js";
import { listPorts } from "../services/network/v2/ports/requests.js";
import type { WaitResult } from "../state/watch.js";
import type { CloudContext } from "./context.js";
import { CLIENT_TOKEN_METADATA_KEY } from "./create-server-options.js";
import { floatingIpSource } from "./floating-ip-source.js";
import { deleteFloatingIp, listFloatingIps } from "./floating-ips.js";
import { floatingIpDescriptionMatches, isOaktreeFloatingIp } from "./markers.js";
import { deleteServerById, findServer, type WaitOptions } from "./servers.js";

/** Options of deleteServer. */
export interface DeleteServerOptions extends WaitOptions {
  /** Also release the floating IPs oaktree attached to it (see deleteServer). Default false. */
  readonly deleteIps?: boolean;
  /** Wait until nova no longer lists it. Default true. */
  readonly wait?: boolean;
}

/** What a delete did. */
export interface DeleteServerResult {
  /** False when there was no such server (nothing to do is not an error). */
  readonly found: boolean;
  readonly deletedFloatingIps: readonly FloatingIp[];
  readonly wait: WaitResult<Server>;
}

/**
 * Deletes a server by name or id, and with `deleteIps` the floating IPs oaktree gave it:
 * on neutron those bound to the server's ports that carry oaktree's mark (an IP the user
 * made and oaktree only reused stays theirs); on nova-network, whose floating IPs carry no
 * mark, every floating IP of the server (as shade's delete_ips does); on neutron also an
 * unattached IP marked for the server's client token (neutron may list the association late). The IPs go first, so
 * that a server that is gone never leaves an unattached IP behind.
 */
export async function deleteServer(
  ctx: CloudContext,
  nameOrId: string,
  options: DeleteServerOptions = {},
): Promise<DeleteServerResult> {
  const signal = options.signal;
  const server = await findServer(ctx, nameOrId, signal ? { signal } : {});
  if (!server) return { found: false, deletedFloatingIps: [], wait: { state: "success" } };
  const deletedFloatingIps = options.deleteIps ? await deleteServerFloatingIps(ctx, server, signal) : [];
  const wait = await deleteServerById(ctx, server.id, {
    wait: options.wait ?? true,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(signal && { signal }),
  });
  return { found: true, deletedFloatingIps, wait };
}

async function deleteServerFloatingIps(
  ctx: CloudContext,
  server: Server,
  signal: AbortSignal | undefined,
): Promise<FloatingIp[]> {
  const source = await floatingIpSource(ctx);
  if (source.kind === "none") return [];
  const ips = await listFloatingIps(ctx, signal ? { signal } : {});
  let ours: FloatingIp[];
  if (source.kind === "nova") {
    ours = ips.filter((ip) => ip.properties.instanceId === server.id);
  } else {
    const network = await ctx.client("network", signal);
    const portIds = new Set(
      (await collect(listPorts(network, { deviceId: server.id }, signal ? { signal } : {}))).map(
        (port) => port.id,
      ),
    );
    const token = server.metadata[CLIENT_TOKEN_METADATA_KEY];
    ours = ips.filter(
      (ip) =>
        (ip.portId !== undefined && portIds.has(ip.portId) && isOaktreeFloatingIp(ip)) ||
        // NOTE: neutron may list a new association only seconds after it was made, so an IP made
        // for this server's client token counts as the server's while it still shows no port.
        (ip.portId === undefined &&
          token !== undefined &&
          floatingIpDescriptionMatches(ip.description, token)),
    );
  }
  for (const ip of ours) await deleteFloatingIp(ctx, ip.id, signal ? { signal } : {});
  return ours;
}

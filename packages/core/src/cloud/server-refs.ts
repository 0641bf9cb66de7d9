import { NotFoundError } from "../http/errors.js";
import { collect } from "../http/paginate.js";
import { normalizeServerGroup } from "../models/server-group.js";
import { normalizeVolume } from "../models/volume.js";
import { getVolume, listVolumes } from "../services/block-storage/v3/volumes/requests.js";
import { listNovaNetworks } from "../services/compute/v2/networks/requests.js";
import { listServerGroups } from "../services/compute/v2/server-groups/requests.js";
import type { CloudContext } from "./context.js";
import { looksLikeId, pickOne, ResourceNotFoundError } from "./find.js";
import { getFlavor } from "./flavors.js";
import { findImageId } from "./images.js";
import { findNetworkId } from "./networks.js";

/**
 * Resolves the names a createServer call may use (flavor, image, networks, volumes, server
 * group) to the ids nova wants, one lookup each, before anything is created. A name that
 * matches nothing, or several objects, fails here: nothing has been created yet.
 */

/** The flavor's id (from the cached flavor list; a miss lists again once). */
export async function resolveFlavorId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  return (await getFlavor(ctx, nameOrId, signal ? { signal } : {})).id;
}

/** The image's id (by id when it looks like one, else by exact name; cached references). */
export async function resolveImageId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const id = await findImageId(ctx, nameOrId, signal ? { signal } : {});
  if (id === undefined) throw new ResourceNotFoundError("image", nameOrId);
  return id;
}

/** Network ids (neutron; nova-network `os-networks` labels on clouds without neutron). */
export async function resolveNetworkIds(
  ctx: CloudContext,
  namesOrIds: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (namesOrIds.length === 0) return [];
  const network = await ctx.optionalClient("network", signal);
  const call = signal ? { signal } : {};
  if (network) {
    // The cached network list: concurrent boots share one listing.
    return Promise.all(
      namesOrIds.map(async (nameOrId) => {
        const id = await findNetworkId(ctx, nameOrId, call);
        if (id === undefined) throw new ResourceNotFoundError("network", nameOrId);
        return id;
      }),
    );
  }
  const all = (await listNovaNetworks(await ctx.client("compute", signal), call)).map((net) => ({
    id: String(net.id),
    name: net.label ?? "",
  }));
  return namesOrIds.map((nameOrId) => {
    const net = pickOne("network", all, nameOrId);
    if (!net) throw new ResourceNotFoundError("network", nameOrId);
    return net.id;
  });
}

/** A volume's id: by id when it looks like one, else by exact name (one filtered listing). */
export async function resolveVolumeId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const volume = await ctx.client("block-storage", signal);
  const normalize = await ctx.normalizeContext();
  const call = signal ? { signal } : {};
  if (looksLikeId(nameOrId)) {
    try {
      return normalizeVolume(await getVolume(volume, nameOrId, call), normalize).id;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const named = (await collect(listVolumes(volume, { name: nameOrId }, call))).map((wire) =>
    normalizeVolume(wire, normalize),
  );
  const found = pickOne("volume", named, nameOrId);
  if (!found) throw new ResourceNotFoundError("volume", nameOrId);
  return found.id;
}

/** A server group's id, by id or name. */
export async function resolveServerGroupId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const compute = await ctx.client("compute", signal);
  const normalize = await ctx.normalizeContext();
  const groups = (await listServerGroups(compute, {}, signal ? { signal } : {})).map((wire) =>
    normalizeServerGroup(wire, normalize),
  );
  const group = pickOne("server group", groups, nameOrId);
  if (!group) throw new ResourceNotFoundError("server group", nameOrId);
  return group.id;
}

import { NotFoundError } from "../http/errors.js";
import { collect } from "../http/paginate.js";
import { getVolume, listVolumes } from "../services/block-storage/v3/volumes/requests.js";
import { listFlavors } from "../services/compute/v2/flavors/requests.js";
import { listNovaNetworks } from "../services/compute/v2/networks/requests.js";
import { listServerGroups } from "../services/compute/v2/server-groups/requests.js";
import { getImage, listImages } from "../services/image/v2/images/requests.js";
import { listNetworks } from "../services/network/v2/networks/requests.js";
import type { CloudContext } from "./context.js";
import { looksLikeId, pickOne, ResourceNotFoundError } from "./find.js";
import { findImage, isGlanceV1 } from "./images.js";

/**
 * Resolves the names a createServer call may use (flavor, image, networks, volumes, server
 * group) to the ids nova wants, one lookup each, before anything is created. A name that
 * matches nothing, or several objects, fails here: nothing has been created yet.
 */

/** The flavor's id (flavors are few and rarely change: listed once per context). */
export async function resolveFlavorId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const compute = await ctx.client("compute", signal);
  const flavors = await ctx.memo("flavors-for-refs", async () =>
    (await collect(listFlavors(compute, {}))).map((flavor) => ({ id: String(flavor.id), name: flavor.name })),
  );
  const flavor = pickOne("flavor", flavors, nameOrId);
  if (!flavor) throw new ResourceNotFoundError("flavor", nameOrId);
  return flavor.id;
}

/** The image's id (by id when it looks like one, else by exact name). */
export async function resolveImageId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const image = await ctx.client("image", signal);
  const call = signal ? { signal } : {};
  if (isGlanceV1(image)) {
    // NOTE: glance v1 answers GET /images/{id} with the image's data: its lookups differ.
    const found = await findImage(ctx, nameOrId, call);
    if (!found) throw new ResourceNotFoundError("image", nameOrId);
    return found.id;
  }
  if (looksLikeId(nameOrId)) {
    try {
      return (await getImage(image, nameOrId, call)).id;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const found = pickOne(
    "image",
    (await collect(listImages(image, { name: nameOrId }, call))).map((img) => ({
      id: img.id,
      ...(img.name ? { name: img.name } : {}),
    })),
    nameOrId,
  );
  if (!found) throw new ResourceNotFoundError("image", nameOrId);
  return found.id;
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
  const all = network
    ? (await collect(listNetworks(network, {}, call))).map((net) => ({ id: net.id, name: net.name ?? "" }))
    : (await listNovaNetworks(await ctx.client("compute", signal), call)).map((net) => ({
        id: String(net.id),
        name: net.label ?? "",
      }));
  return namesOrIds.map((nameOrId) => {
    const net = pickOne("network", all, nameOrId);
    if (!net) throw new ResourceNotFoundError("network", nameOrId);
    return net.id;
  });
}

/** A volume's id. */
export async function resolveVolumeId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const volume = await ctx.client("block-storage", signal);
  const call = signal ? { signal } : {};
  if (looksLikeId(nameOrId)) {
    try {
      return (await getVolume(volume, nameOrId, call)).id;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const found = pickOne(
    "volume",
    (await collect(listVolumes(volume, { name: nameOrId }, call))).map((vol) => ({
      id: vol.id,
      ...(vol.name ? { name: vol.name } : {}),
    })),
    nameOrId,
  );
  if (!found) throw new ResourceNotFoundError("volume", nameOrId);
  return found.id;
}

/** A server group's id. */
export async function resolveServerGroupId(
  ctx: CloudContext,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  const compute = await ctx.client("compute", signal);
  const groups = (await listServerGroups(compute, {}, signal ? { signal } : {})).map((group) => ({
    id: group.id,
    name: group.name,
  }));
  const group = pickOne("server group", groups, nameOrId);
  if (!group) throw new ResourceNotFoundError("server group", nameOrId);
  return group.id;
}

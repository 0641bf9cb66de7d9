import { OaktreeError } from "../../../../errors.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { type QueryNames, queryOf, requireId } from "../../../query.js";
import { defaultVolumeTypePath, volumeTypePath, volumeTypesPath } from "./urls.js";
import type { VolumeTypeWire } from "./wire.js";

/** Filters of `GET /types`. */
export interface ListVolumeTypesOptions {
  /** Admin only: true for public types, false for private ones; both when absent. */
  readonly isPublic?: boolean;
}

/** The one table of query names of volume types. */
export const VOLUME_TYPE_QUERY: QueryNames<ListVolumeTypesOptions> = { isPublic: "is_public" };

function typeOf(response: HttpResponse): VolumeTypeWire {
  const type = response.json<{ volume_type?: VolumeTypeWire } | undefined>()?.volume_type;
  if (!type) throw new OaktreeError('block-storage: the response has no "volume_type"');
  return type;
}

/** The volume types the project may use (`GET /types`; not paged). */
export async function listVolumeTypes(
  client: ServiceClient,
  options: ListVolumeTypesOptions = {},
  call: CallOptions = {},
): Promise<VolumeTypeWire[]> {
  const response = await client.request({
    method: "GET",
    path: volumeTypesPath(),
    query: queryOf(options, VOLUME_TYPE_QUERY),
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<{ volume_types?: VolumeTypeWire[] }>()?.volume_types ?? [])];
}

/** One volume type by id. */
export async function getVolumeType(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<VolumeTypeWire> {
  requireId("id", id);
  return typeOf(
    await client.request({ method: "GET", path: volumeTypePath(id), okStatus: [200], ...callFields(call) }),
  );
}

/** The cloud's default volume type (`GET /types/default`). */
export async function getDefaultVolumeType(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<VolumeTypeWire> {
  return typeOf(
    await client.request({
      method: "GET",
      path: defaultVolumeTypePath(),
      okStatus: [200],
      ...callFields(call),
    }),
  );
}

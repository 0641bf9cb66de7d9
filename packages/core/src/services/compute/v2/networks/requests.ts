import { OaktreeError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { proxyVersionField } from "../floating-ips/proxy.js";
import { NOVA_NETWORKS_PATH, novaNetworkPath } from "./urls.js";
import type { NovaNetworkWire } from "./wire.js";

/** The networks nova knows (`GET /os-networks`; not paged). */
export async function listNovaNetworks(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<NovaNetworkWire[]> {
  const response = await client.request({
    method: "GET",
    path: NOVA_NETWORKS_PATH,
    okStatus: [200],
    ...proxyVersionField(client, "os-networks"),
    ...callFields(call),
  });
  return [...(response.json<{ networks?: NovaNetworkWire[] }>()?.networks ?? [])];
}

/** One network by id (`GET /os-networks/{id}`). */
export async function getNovaNetwork(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<NovaNetworkWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: novaNetworkPath(id),
    okStatus: [200],
    ...proxyVersionField(client, "os-networks"),
    ...callFields(call),
  });
  const network = response.json<{ network?: NovaNetworkWire } | undefined>()?.network;
  if (!network) throw new OaktreeError('compute: the os-networks response has no "network"');
  return network;
}

import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { proxyVersionField } from "../floating-ips/proxy.js";
import { NOVA_FLOATING_IP_POOLS_PATH } from "./urls.js";
import type { NovaFloatingIpPoolWire } from "./wire.js";

/** The floating IP pools (`GET /os-floating-ip-pools`; not paged). */
export async function listNovaFloatingIpPools(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<NovaFloatingIpPoolWire[]> {
  const response = await client.request({
    method: "GET",
    path: NOVA_FLOATING_IP_POOLS_PATH,
    okStatus: [200],
    ...proxyVersionField(client, "os-floating-ip-pools"),
    ...callFields(call),
  });
  return [...(response.json<{ floating_ip_pools?: NovaFloatingIpPoolWire[] }>()?.floating_ip_pools ?? [])];
}

import { OaktreeError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { proxyVersionField } from "./proxy.js";
import { NOVA_FLOATING_IPS_PATH, novaFloatingIpPath } from "./urls.js";
import type { NovaFloatingIpCreateWire, NovaFloatingIpWire } from "./wire.js";

function floatingIpOf(body: unknown): NovaFloatingIpWire {
  const ip = (body as { floating_ip?: NovaFloatingIpWire } | undefined)?.floating_ip;
  if (!ip) throw new OaktreeError('compute: the os-floating-ips response has no "floating_ip"');
  return ip;
}

/**
 * The project's floating IPs through nova (`GET /os-floating-ips`).
 * NOTE: nova does not page this list (no limit/marker), so it comes in one array.
 */
export async function listNovaFloatingIps(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<NovaFloatingIpWire[]> {
  const response = await client.request({
    method: "GET",
    path: NOVA_FLOATING_IPS_PATH,
    okStatus: [200],
    ...proxyVersionField(client, "os-floating-ips"),
    ...callFields(call),
  });
  return [...(response.json<{ floating_ips?: NovaFloatingIpWire[] }>()?.floating_ips ?? [])];
}

/** One floating IP by id (`GET /os-floating-ips/{id}`). */
export async function getNovaFloatingIp(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<NovaFloatingIpWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: novaFloatingIpPath(id),
    okStatus: [200],
    ...proxyVersionField(client, "os-floating-ips"),
    ...callFields(call),
  });
  return floatingIpOf(response.json());
}

/**
 * Allocates a floating IP from a pool (`POST /os-floating-ips`, 200), or from the cloud's
 * default pool when `pool` is omitted. Attach it with the compute `addFloatingIp` action.
 */
export async function createNovaFloatingIp(
  client: ServiceClient,
  pool?: string,
  call: CallOptions = {},
): Promise<NovaFloatingIpWire> {
  if (pool !== undefined) requireId("pool", pool);
  const body: NovaFloatingIpCreateWire = pool === undefined ? {} : { pool };
  const response = await client.request({
    method: "POST",
    path: NOVA_FLOATING_IPS_PATH,
    json: body,
    okStatus: [200],
    ...proxyVersionField(client, "os-floating-ips"),
    ...callFields(call),
  });
  return floatingIpOf(response.json());
}

/** Releases a floating IP (`DELETE /os-floating-ips/{id}`, 202); nova detaches it first. */
export async function deleteNovaFloatingIp(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  await client.request({
    method: "DELETE",
    path: novaFloatingIpPath(id),
    okStatus: [202],
    ...proxyVersionField(client, "os-floating-ips"),
    ...callFields(call),
  });
}

import { OaktreeError, ValidationError } from "../../../../errors.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { checkGate, type MicroversionGate, supportsMicroversion } from "../../../microversion.js";
import { requireId } from "../../../query.js";
import { serverActionPath } from "./urls.js";

/** How a server action is sent: gates and accepted statuses. */
export interface ServerActionOptions extends MicroversionGate {
  /** Statuses that mean success; nova answers most actions 202. */
  readonly okStatus?: readonly number[];
  /** A specific microversion for this call. */
  readonly microversion?: string;
}

/**
 * The one funnel for POST /servers/{id}/action: `body` is the action object, e.g.
 * `{ "os-start": null }`. Gates in `options` are checked before any I/O.
 */
export async function serverAction(
  client: ServiceClient,
  id: string,
  body: Readonly<Record<string, unknown>>,
  call: CallOptions = {},
  options: ServerActionOptions = {},
): Promise<HttpResponse> {
  requireId("id", id);
  const action = Object.keys(body)[0];
  if (action === undefined || Object.keys(body).length !== 1) {
    throw new ValidationError("body", "a server action body has exactly one key, the action's name");
  }
  checkGate(client, options, `the server action ${action}`);
  return client.request({
    method: "POST",
    path: serverActionPath(id),
    json: body,
    okStatus: options.okStatus ?? [202],
    ...(options.microversion !== undefined && { microversion: options.microversion }),
    ...callFields(call),
  });
}

/** Reboots a server: SOFT asks the guest, HARD power-cycles it. */
export async function rebootServer(
  client: ServiceClient,
  id: string,
  type: "SOFT" | "HARD" = "SOFT",
  call: CallOptions = {},
): Promise<void> {
  if (type !== "SOFT" && type !== "HARD") throw new ValidationError("type", 'must be "SOFT" or "HARD"');
  await serverAction(client, id, { reboot: { type } }, call);
}

/** Starts a stopped server (os-start). */
export async function startServer(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  await serverAction(client, id, { "os-start": null }, call);
}

/** Stops a running server (os-stop). */
export async function stopServer(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  await serverAction(client, id, { "os-stop": null }, call);
}

/**
 * Associates a floating IP with a server (nova-network clouds, or neutron through nova).
 * NOTE: compute 2.44 removed addFloatingIp; use the network API's floating IPs there.
 */
export async function addFloatingIp(
  client: ServiceClient,
  id: string,
  address: string,
  fixedAddress?: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("address", address);
  const addFloatingIp = { address, ...(fixedAddress !== undefined && { fixed_address: fixedAddress }) };
  await serverAction(client, id, { addFloatingIp }, call, { until: "2.44" });
}

/** Disassociates a floating IP from a server. NOTE: removed in compute 2.44 like addFloatingIp. */
export async function removeFloatingIp(
  client: ServiceClient,
  id: string,
  address: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("address", address);
  await serverAction(client, id, { removeFloatingIp: { address } }, call, { until: "2.44" });
}

/**
 * Snapshots a server into a new image and returns the image's id.
 * NOTE: compute answers with `{"image_id": ...}` from 2.45 on; before, the id is only the
 * last segment of the Location header.
 */
export async function createServerImage(
  client: ServiceClient,
  id: string,
  name: string,
  metadata?: Readonly<Record<string, string>>,
  call: CallOptions = {},
): Promise<string> {
  requireId("name", name);
  const createImage = { name, ...(metadata !== undefined && { metadata }) };
  const response = await serverAction(client, id, { createImage }, call);
  if (supportsMicroversion(client, "2.45")) {
    const imageId = response.json<{ image_id?: string } | undefined>()?.image_id;
    if (imageId) return imageId;
  }
  const location = response.headers.get("location");
  const imageId = location?.split("/").filter(Boolean).pop();
  if (!imageId) throw new OaktreeError(`compute createImage on server ${id}: no image id in the answer`);
  return imageId;
}

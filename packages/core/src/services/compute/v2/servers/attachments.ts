import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireMicroversion } from "../../../microversion.js";
import { requireId } from "../../../query.js";
import { serverInterfacesPath, serverIpsPath, volumeAttachmentPath, volumeAttachmentsPath } from "./urls.js";
import type { AddressWire, InterfaceAttachmentWire, VolumeAttachmentWire } from "./wire.js";

/** GET /servers/{id}/os-interface: the ports of a server (neutron clouds). */
export async function listServerInterfaces(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<InterfaceAttachmentWire[]> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: serverInterfacesPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ interfaceAttachments: InterfaceAttachmentWire[] }>().interfaceAttachments;
}

/** GET /servers/{id}/ips: the addresses by network name, as in a server's `addresses`. */
export async function listServerIps(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<Record<string, AddressWire[]>> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: serverIpsPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ addresses: Record<string, AddressWire[]> }>().addresses;
}

/** GET /servers/{id}/os-volume_attachments. */
export async function listVolumeAttachments(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<VolumeAttachmentWire[]> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: volumeAttachmentsPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ volumeAttachments: VolumeAttachmentWire[] }>().volumeAttachments;
}

/** What POST /servers/{id}/os-volume_attachments takes. */
export interface AttachVolumeOptions {
  readonly volumeId: string;
  /** A device name hint such as "/dev/vdb" (most hypervisors ignore it). */
  readonly device?: string;
  /** Microversion 2.49. */
  readonly tag?: string;
  /** Microversion 2.79. */
  readonly deleteOnTermination?: boolean;
}

/** POST /servers/{id}/os-volume_attachments: attaches a volume (asynchronously). */
export async function attachVolume(
  client: ServiceClient,
  id: string,
  options: AttachVolumeOptions,
  call: CallOptions = {},
): Promise<VolumeAttachmentWire> {
  requireId("id", id);
  requireId("volumeId", options.volumeId);
  if (options.tag !== undefined) requireMicroversion(client, "2.49", "tag");
  if (options.deleteOnTermination !== undefined) requireMicroversion(client, "2.79", "deleteOnTermination");
  const volumeAttachment = {
    volumeId: options.volumeId,
    ...(options.device !== undefined && { device: options.device }),
    ...(options.tag !== undefined && { tag: options.tag }),
    ...(options.deleteOnTermination !== undefined && { delete_on_termination: options.deleteOnTermination }),
  };
  const response = await client.request({
    method: "POST",
    path: volumeAttachmentsPath(id),
    json: { volumeAttachment },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ volumeAttachment: VolumeAttachmentWire }>().volumeAttachment;
}

/** DELETE /servers/{id}/os-volume_attachments/{volumeId} (202): detaches asynchronously. */
export async function detachVolume(
  client: ServiceClient,
  id: string,
  volumeId: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  requireId("volumeId", volumeId);
  await client.request({
    method: "DELETE",
    path: volumeAttachmentPath(id, volumeId),
    okStatus: [202],
    ...callFields(call),
  });
}

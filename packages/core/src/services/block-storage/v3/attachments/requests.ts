import { OaktreeError } from "../../../../errors.js";
import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { HttpResponse, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireMicroversion } from "../../../microversion.js";
import { compact, type QueryNames, queryOf, requireId, requirePositiveInteger } from "../../../query.js";
import { attachmentActionPath, attachmentPath, attachmentsDetailPath, attachmentsPath } from "./urls.js";
import type { AttachmentCreateWire, AttachmentWire, ConnectorWire } from "./wire.js";

/** The attachments API is new in volume microversion 3.27 (absent from v2). */
export const ATTACHMENTS_SINCE = "3.27";

/** Filters of `GET /attachments/detail`. */
export interface ListAttachmentsOptions {
  readonly volumeId?: string;
  readonly instanceId?: string;
  readonly status?: string;
  readonly allTenants?: boolean;
  readonly limit?: number;
  readonly marker?: string;
}

/** The one table of query names of attachments. */
export const ATTACHMENT_QUERY: QueryNames<ListAttachmentsOptions> = {
  volumeId: "volume_id",
  instanceId: "instance_id",
  status: "status",
  allTenants: "all_tenants",
  limit: "limit",
  marker: "marker",
};

function attachmentOf(response: HttpResponse): AttachmentWire {
  const attachment = response.json<{ attachment?: AttachmentWire } | undefined>()?.attachment;
  if (!attachment) throw new OaktreeError('block-storage: the response has no "attachment"');
  return attachment;
}

/** Every attachment with details matching the filters (3.27+), following `attachments_links`. */
export function listAttachments(
  client: ServiceClient,
  options: ListAttachmentsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<AttachmentWire, void, undefined> {
  requireMicroversion(client, ATTACHMENTS_SINCE, "volume attachments");
  requirePositiveInteger("limit", options.limit);
  return paginate<AttachmentWire>(
    client,
    {
      method: "GET",
      path: attachmentsDetailPath(),
      query: queryOf(options, ATTACHMENT_QUERY),
      okStatus: [200],
      ...callFields(call),
    },
    linksStrategy<AttachmentWire>("attachments"),
  );
}

/** One attachment by id (3.27+). */
export async function getAttachment(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<AttachmentWire> {
  requireMicroversion(client, ATTACHMENTS_SINCE, "volume attachments");
  requireId("id", id);
  return attachmentOf(
    await client.request({ method: "GET", path: attachmentPath(id), okStatus: [200], ...callFields(call) }),
  );
}

/** A new attachment: reserves the volume for a server, and connects it when a connector is given. */
export interface CreateAttachmentOptions {
  readonly volumeId: string;
  readonly serverId?: string;
  readonly connector?: ConnectorWire;
  /** Microversion 3.54. */
  readonly mode?: "rw" | "ro";
}

/** Creates an attachment (`POST /attachments`, 200; 3.27+, `mode` 3.54+). */
export async function createAttachment(
  client: ServiceClient,
  options: CreateAttachmentOptions,
  call: CallOptions = {},
): Promise<AttachmentWire> {
  requireMicroversion(client, ATTACHMENTS_SINCE, "volume attachments");
  requireId("volumeId", options.volumeId);
  if (options.mode !== undefined) requireMicroversion(client, "3.54", "the attachment mode");
  const body: AttachmentCreateWire = {
    volume_uuid: options.volumeId,
    ...compact({ instance_uuid: options.serverId, connector: options.connector, mode: options.mode }),
  };
  return attachmentOf(
    await client.request({
      method: "POST",
      path: attachmentsPath(),
      json: { attachment: body },
      okStatus: [200],
      ...callFields(call),
    }),
  );
}

/** Completes a reserved attachment with the host's connector (`PUT /attachments/{id}`, 3.27+). */
export async function updateAttachment(
  client: ServiceClient,
  id: string,
  connector: ConnectorWire,
  call: CallOptions = {},
): Promise<AttachmentWire> {
  requireMicroversion(client, ATTACHMENTS_SINCE, "volume attachments");
  requireId("id", id);
  return attachmentOf(
    await client.request({
      method: "PUT",
      path: attachmentPath(id),
      json: { attachment: { connector } },
      okStatus: [200],
      ...callFields(call),
    }),
  );
}

/** Marks an attachment complete, the volume "in-use" (`os-complete`, 3.44+, 204). */
export async function completeAttachment(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireMicroversion(client, "3.44", "completing a volume attachment");
  requireId("id", id);
  await client.request({
    method: "POST",
    path: attachmentActionPath(id),
    json: { "os-complete": {} },
    okStatus: [204],
    ...callFields(call),
  });
}

/** Deletes an attachment, detaching the volume (`DELETE /attachments/{id}`, 200; 3.27+). */
export async function deleteAttachment(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  requireMicroversion(client, ATTACHMENTS_SINCE, "volume attachments");
  requireId("id", id);
  await client.request({ method: "DELETE", path: attachmentPath(id), okStatus: [200], ...callFields(call) });
}

import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { serverMetadataItemPath, serverMetadataPath } from "./urls.js";

function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(metadata)) {
    // NOTE: nova limits metadata keys and values to 255 characters and values to strings.
    if (key === "" || key.length > 255)
      throw new ValidationError(`metadata.${key}`, "keys have 1 to 255 characters");
    if (typeof value !== "string" || value.length > 255) {
      throw new ValidationError(`metadata.${key}`, "values are strings of at most 255 characters");
    }
  }
}

/** GET /servers/{id}/metadata. */
export async function getServerMetadata(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<Record<string, string>> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: serverMetadataPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ metadata: Record<string, string> }>().metadata;
}

/**
 * POST /servers/{id}/metadata: sets these keys, keeping the others; returns all metadata.
 * With `replace`, PUT replaces the whole set instead.
 */
export async function setServerMetadata(
  client: ServiceClient,
  id: string,
  metadata: Readonly<Record<string, string>>,
  options: { readonly replace?: boolean } = {},
  call: CallOptions = {},
): Promise<Record<string, string>> {
  requireId("id", id);
  checkMetadata(metadata);
  const response = await client.request({
    method: options.replace ? "PUT" : "POST",
    path: serverMetadataPath(id),
    json: { metadata },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ metadata: Record<string, string> }>().metadata;
}

/** DELETE /servers/{id}/metadata/{key} (204). */
export async function deleteServerMetadataItem(
  client: ServiceClient,
  id: string,
  key: string,
  call: CallOptions = {},
): Promise<void> {
  requireId("id", id);
  requireId("key", key);
  await client.request({
    method: "DELETE",
    path: serverMetadataItemPath(id, key),
    okStatus: [204],
    ...callFields(call),
  });
}

import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { isTaggable, type TaggableResource, tagPath, tagsPath } from "./urls.js";
import type { TagsWire } from "./wire.js";

/**
 * NOTE: neutron tags are at most 255 characters; a comma inside a tag cannot be filtered on
 * (`tags=a,b` splits on commas), so oaktree refuses commas up front.
 */
function checkTag(tag: string, field = "tag"): string {
  if (typeof tag !== "string" || tag === "" || tag.length > 255) {
    throw new ValidationError(field, "must be 1 to 255 characters");
  }
  if (tag.includes(",")) throw new ValidationError(field, "must not contain a comma");
  return tag;
}

function checkTarget(resource: TaggableResource, id: string): void {
  if (!isTaggable(resource)) throw new ValidationError("resource", `"${resource}" does not take tags`);
  requireId("id", id);
}

/** The tags of one item (`GET /{resource}/{id}/tags`). */
export async function listTags(
  client: ServiceClient,
  resource: TaggableResource,
  id: string,
  call: CallOptions = {},
): Promise<string[]> {
  checkTarget(resource, id);
  const response = await client.request({
    method: "GET",
    path: tagsPath(resource, id),
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<TagsWire>()?.tags ?? [])];
}

/** Adds one tag (`PUT /{resource}/{id}/tags/{tag}`, 201; already present is fine). */
export async function addTag(
  client: ServiceClient,
  resource: TaggableResource,
  id: string,
  tag: string,
  call: CallOptions = {},
): Promise<void> {
  checkTarget(resource, id);
  await client.request({
    method: "PUT",
    path: tagPath(resource, id, checkTag(tag)),
    okStatus: [201, 204],
    ...callFields(call),
  });
}

/** Removes one tag (`DELETE /{resource}/{id}/tags/{tag}`, 204). */
export async function removeTag(
  client: ServiceClient,
  resource: TaggableResource,
  id: string,
  tag: string,
  call: CallOptions = {},
): Promise<void> {
  checkTarget(resource, id);
  await client.request({
    method: "DELETE",
    path: tagPath(resource, id, checkTag(tag)),
    okStatus: [204],
    ...callFields(call),
  });
}

/** Replaces every tag (`PUT /{resource}/{id}/tags` with `{"tags": [...]}`). */
export async function replaceTags(
  client: ServiceClient,
  resource: TaggableResource,
  id: string,
  tags: readonly string[],
  call: CallOptions = {},
): Promise<string[]> {
  checkTarget(resource, id);
  for (const [index, tag] of tags.entries()) checkTag(tag, `tags[${index}]`);
  const body: TagsWire = { tags: [...tags] };
  const response = await client.request({
    method: "PUT",
    path: tagsPath(resource, id),
    json: body,
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<TagsWire>()?.tags ?? tags)];
}

/** Removes every tag (`DELETE /{resource}/{id}/tags`, 204). */
export async function removeAllTags(
  client: ServiceClient,
  resource: TaggableResource,
  id: string,
  call: CallOptions = {},
): Promise<void> {
  checkTarget(resource, id);
  await client.request({
    method: "DELETE",
    path: tagsPath(resource, id),
    okStatus: [204],
    ...callFields(call),
  });
}

/**
 * Collections whose items take tags (extension "standard-attr-tag"), as they appear in the
 * URL: `/networks/{id}/tags`.
 */
export type TaggableResource =
  | "networks"
  | "subnets"
  | "ports"
  | "routers"
  | "floatingips"
  | "security-groups"
  | "subnetpools"
  | "trunks"
  | "qos/policies"
  | "address-scopes"
  | "network_segment_ranges";

const TAGGABLE: ReadonlySet<string> = new Set<TaggableResource>([
  "networks",
  "subnets",
  "ports",
  "routers",
  "floatingips",
  "security-groups",
  "subnetpools",
  "trunks",
  "qos/policies",
  "address-scopes",
  "network_segment_ranges",
]);

/** True when `resource` is a collection that takes tags. */
export function isTaggable(resource: string): resource is TaggableResource {
  return TAGGABLE.has(resource);
}

/** `/{resource}/{id}/tags`. */
export function tagsPath(resource: TaggableResource, id: string): string {
  return `/${resource}/${encodeURIComponent(id)}/tags`;
}

/** `/{resource}/{id}/tags/{tag}`. */
export function tagPath(resource: TaggableResource, id: string, tag: string): string {
  return `${tagsPath(resource, id)}/${encodeURIComponent(tag)}`;
}

import { create } from "@bufbuild/protobuf";
import type { Flavor as FlavorModel } from "@oaktree/core/models/flavor.js";
import type { FloatingIp as FloatingIpModel } from "@oaktree/core/models/floating-ip.js";
import type { Image as ImageModel } from "@oaktree/core/models/image.js";
import type { Location as LocationModel } from "@oaktree/core/models/location.js";
import type {
  SecurityGroup as SecurityGroupModel,
  SecurityGroupRule as SecurityGroupRuleModel,
} from "@oaktree/core/models/security-group.js";
import { stringMap } from "../convert/common.js";
import { type Location, LocationSchema, ProjectSchema } from "../gen-legacy/common_pb.js";
import { type Flavor, FlavorSchema } from "../gen-legacy/flavor_pb.js";
import { type FloatingIP, FloatingIP_Status, FloatingIPSchema } from "../gen-legacy/floating_ip_pb.js";
import {
  ContainerFormat_ContainerFormatChoice,
  DiskFormat_DiskFormatChoice,
  type Image,
  Image_Status,
  ImageSchema,
} from "../gen-legacy/image_pb.js";
import {
  type SecurityGroup,
  type SecurityGroupRule,
  SecurityGroupRule_Direction,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
} from "../gen-legacy/security_group_pb.js";

// The 2017 messages are shade's normalized dicts of the time. Their enums have a real value at
// zero (qcow2, bare, active, ingress), so a value they cannot name is sent as the zero value AND
// kept, as the cloud said it, in `properties` under the field's name: nothing is silently lost.

/** A model's Location as the 2017 message (project and domain are oneofs there: id wins). */
export function legacyLocation(location: LocationModel): Location {
  const { id, name, domainId, domainName } = location.project;
  return create(LocationSchema, {
    cloud: location.cloud,
    region: location.region ?? "",
    zone: location.zone ?? "",
    project: create(ProjectSchema, {
      project: id ? { case: "id", value: id } : name ? { case: "name", value: name } : { case: undefined },
      domain: domainId
        ? { case: "domainId", value: domainId }
        : domainName
          ? { case: "domainName", value: domainName }
          : { case: undefined },
    }),
  });
}

/** A flavor as the 2017 message; extra specs go to `properties` (the message names none). */
export function legacyFlavor(flavor: FlavorModel): Flavor {
  return create(FlavorSchema, {
    location: legacyLocation(flavor.location),
    id: flavor.id,
    name: flavor.name,
    isPublic: flavor.isPublic,
    disabled: flavor.isDisabled,
    ram: flavor.ram,
    vcpus: flavor.vcpus,
    disk: BigInt(flavor.disk),
    ephemeral: flavor.ephemeral,
    swap: BigInt(flavor.swap),
    rxtxFactor: flavor.rxtxFactor,
    properties: stringMap({
      ...flavor.properties,
      ...(flavor.description !== undefined && { description: flavor.description }),
      ...(Object.keys(flavor.extraSpecs).length > 0 && { extra_specs: flavor.extraSpecs }),
    }),
  });
}

const FLOATING_IP_STATUS: Readonly<Record<string, FloatingIP_Status>> = {
  ACTIVE: FloatingIP_Status.active,
  DOWN: FloatingIP_Status.down,
  ERROR: FloatingIP_Status.error,
};

/**
 * A floating IP as the 2017 message. nova-network reports no status ("UNKNOWN"): an attached
 * address is active, an unattached one down, as neutron reports them.
 */
export function legacyFloatingIp(ip: FloatingIpModel): FloatingIP {
  const status = FLOATING_IP_STATUS[ip.status];
  return create(FloatingIPSchema, {
    location: legacyLocation(ip.location),
    id: ip.id,
    isAttached: ip.attached,
    fixedIpAddress: ip.fixedIpAddress ?? "",
    floatingIpAddress: ip.floatingIpAddress,
    network: ip.networkId,
    port: ip.portId ?? "",
    status: status ?? (ip.attached ? FloatingIP_Status.active : FloatingIP_Status.down),
    properties: stringMap({ ...ip.properties, ...(status === undefined && { status: ip.status }) }),
  });
}

const IMAGE_STATUS: Readonly<Record<string, Image_Status>> = {
  active: Image_Status.active,
  queued: Image_Status.queued,
  saving: Image_Status.saving,
  // Glance's newer steps of writing the data: the 2017 enum's nearest is "saving".
  uploading: Image_Status.saving,
  importing: Image_Status.saving,
  deleted: Image_Status.deleted,
  killed: Image_Status.killed,
  pending_delete: Image_Status.pending_delete,
  deactivated: Image_Status.deactivated,
};

/** An image as the 2017 message (`is_public` from visibility, locations from the properties). */
export function legacyImage(image: ImageModel): Image {
  const diskFormat = enumValue(DiskFormat_DiskFormatChoice, image.diskFormat);
  const containerFormat = enumValue(ContainerFormat_ContainerFormatChoice, image.containerFormat);
  const status = IMAGE_STATUS[image.status];
  const { locations, direct_url: directUrl, ...rest } = image.properties;
  return create(ImageSchema, {
    location: legacyLocation(image.location),
    id: image.id,
    name: image.name,
    minRam: image.minRam,
    minDisk: BigInt(image.minDisk),
    size: BigInt(image.size ?? 0),
    virtualSize: BigInt(image.virtualSize ?? 0),
    containerFormat: containerFormat ?? ContainerFormat_ContainerFormatChoice.bare,
    diskFormat: diskFormat ?? DiskFormat_DiskFormatChoice.qcow2,
    checksum: image.checksum ?? "",
    createdAt: image.createdAt ?? "",
    updatedAt: image.updatedAt ?? "",
    owner: image.owner ?? "",
    isPublic: image.visibility === "public",
    isProtected: image.protected,
    status: status ?? Image_Status.active,
    locations: Array.isArray(locations) ? locations.map(locationUrl).filter((url) => url !== "") : [],
    directUrl: typeof directUrl === "string" ? directUrl : "",
    tags: [...image.tags],
    properties: stringMap({
      ...rest,
      visibility: image.visibility,
      ...(image.hashAlgo !== undefined && { os_hash_algo: image.hashAlgo }),
      ...(image.hashValue !== undefined && { os_hash_value: image.hashValue }),
      // Not named by the enum (or only approximately: "importing" sent as "saving").
      ...((status === undefined || Image_Status[status] !== image.status) && { status: image.status }),
      ...(diskFormat === undefined && image.diskFormat !== undefined && { disk_format: image.diskFormat }),
      ...(containerFormat === undefined &&
        image.containerFormat !== undefined && { container_format: image.containerFormat }),
    }),
  });
}

/** A security group with its rules as the 2017 message. */
export function legacySecurityGroup(group: SecurityGroupModel): SecurityGroup {
  return create(SecurityGroupSchema, {
    location: legacyLocation(group.location),
    id: group.id,
    name: group.name,
    description: group.description ?? "",
    rules: group.rules.map((rule) => legacySecurityGroupRule(rule, group.location)),
    properties: stringMap({
      ...group.properties,
      ...(group.isStateful !== undefined && { stateful: group.isStateful }),
      ...(group.isShared !== undefined && { shared: group.isShared }),
    }),
  });
}

/** A rule as the 2017 message; `location` is its group's. Absent ports are 0, as the message has no null. */
export function legacySecurityGroupRule(
  rule: SecurityGroupRuleModel,
  location: LocationModel,
): SecurityGroupRule {
  return create(SecurityGroupRuleSchema, {
    location: legacyLocation(location),
    id: rule.id,
    direction:
      rule.direction === "egress" ? SecurityGroupRule_Direction.egress : SecurityGroupRule_Direction.ingress,
    ethertype: rule.ethertype,
    portRangeMin: rule.portRangeMin ?? 0,
    portRangeMax: rule.portRangeMax ?? 0,
    protocol: rule.protocol ?? "",
    remoteIpPrefix: rule.remoteIpPrefix ?? "",
    securityGroupId: rule.securityGroupId,
    remoteGroupId: rule.remoteGroupId ?? "",
    properties: stringMap({
      ...rule.properties,
      ...(rule.description !== undefined && { description: rule.description }),
    }),
  });
}

/** The enum member named `value` (the 2017 enums use the cloud's lowercase names), if any. */
function enumValue<E extends Record<string, string | number>>(
  enumObject: E,
  value: string | undefined,
): E[keyof E] | undefined {
  if (value === undefined) return undefined;
  const member = enumObject[value.toLowerCase() as keyof E];
  return typeof member === "number" ? member : undefined;
}

/** A glance location's URL (v2 sends `{url, metadata}`, v1 plain strings). */
function locationUrl(location: unknown): string {
  if (typeof location === "string") return location;
  if (location !== null && typeof location === "object" && "url" in location) {
    const { url } = location as { url: unknown };
    return typeof url === "string" ? url : "";
  }
  return "";
}

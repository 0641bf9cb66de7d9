import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { AmbiguousNameError, type Cloud, ResourceNotFoundError } from "@oaktree/core";
import { invalidArgument } from "../errors.js";
import { type Location, LocationSchema } from "../gen/oaktree/v1/location_pb.js";
import type { Filter, Location as LegacyLocation } from "../gen-legacy/common_pb.js";
import { FlavorListSchema, FlavorSchema } from "../gen-legacy/flavor_pb.js";
import { FloatingIPListSchema, FloatingIPSchema } from "../gen-legacy/floating_ip_pb.js";
import { ImageListSchema, ImageSchema } from "../gen-legacy/image_pb.js";
import { Oaktree } from "../gen-legacy/oaktree_pb.js";
import {
  SecurityGroupListSchema,
  SecurityGroupRuleListSchema,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
} from "../gen-legacy/security_group_pb.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "../handlers/index.js";
import {
  legacyFlavor,
  legacyFloatingIp,
  legacyImage,
  legacySecurityGroup,
  legacySecurityGroupRule,
} from "./convert.js";
import { compileLegacyFilter } from "./filter.js";

/** One resource of the 2017 API: how to list it from core, and which keys `name_or_id` matches. */
interface LegacyResource<D extends DescMessage> {
  /** The kind named in NOT_FOUND errors. */
  readonly kind: string;
  readonly schema: D;
  readonly list: (cloud: Cloud, signal: AbortSignal) => Promise<MessageShape<D>[]>;
  /** Keys `name_or_id` matches, id first (an id match wins over name matches). */
  readonly nameKeys: readonly string[];
}

const flavors: LegacyResource<typeof FlavorSchema> = {
  kind: "flavor",
  schema: FlavorSchema,
  list: async (cloud, signal) => (await cloud.listFlavors({ signal })).map(legacyFlavor),
  nameKeys: ["id", "name"],
};

const images: LegacyResource<typeof ImageSchema> = {
  kind: "image",
  schema: ImageSchema,
  list: async (cloud, signal) => (await cloud.listImages({ signal })).map(legacyImage),
  nameKeys: ["id", "name"],
};

// Floating IPs have no name: the address is what a user knows them by.
const floatingIps: LegacyResource<typeof FloatingIPSchema> = {
  kind: "floating IP",
  schema: FloatingIPSchema,
  list: async (cloud, signal) => (await cloud.listFloatingIps({ signal })).map(legacyFloatingIp),
  nameKeys: ["id", "floating_ip_address"],
};

const securityGroups: LegacyResource<typeof SecurityGroupSchema> = {
  kind: "security group",
  schema: SecurityGroupSchema,
  list: async (cloud, signal) => (await cloud.listSecurityGroups({ signal })).map(legacySecurityGroup),
  nameKeys: ["id", "name"],
};

// Rules are read with their groups (one call); each carries its group's location.
const securityGroupRules: LegacyResource<typeof SecurityGroupRuleSchema> = {
  kind: "security group rule",
  schema: SecurityGroupRuleSchema,
  list: async (cloud, signal) =>
    (await cloud.listSecurityGroups({ signal })).flatMap((group) =>
      group.rules.map((rule) => legacySecurityGroupRule(rule, group.location)),
    ),
  nameKeys: ["id"],
};

/**
 * `oaktree.Oaktree`, the 2017 API (proto/oaktreemodel), kept working unchanged: every method
 * takes a `Filter{location, name_or_id, jmespath, filter}` and is answered by the same core as
 * oaktree.v1 (Location filled; the selection as shade's search functions made it; a Get that
 * finds nothing is NOT_FOUND, one that finds several of one name FAILED_PRECONDITION).
 */
export function legacyHandlers(deps: HandlerDeps): ServiceHandlers {
  /** The selected messages of `resource` for `filter`, from one core call. */
  async function select<D extends DescMessage>(
    resource: LegacyResource<D>,
    filter: Filter,
    context: HandlerContext,
  ): Promise<MessageShape<D>[]> {
    const selection = compileLegacyFilter(resource.schema, filter, resource.nameKeys);
    const cloud = await deps.clouds.resolve(routedLocation(filter.location));
    return selection.apply(await resource.list(cloud, context.signal));
  }

  /** The one message `filter.name_or_id` names. */
  async function getOne<D extends DescMessage>(
    resource: LegacyResource<D>,
    filter: Filter,
    context: HandlerContext,
  ): Promise<MessageShape<D>> {
    const nameOrId = filter.nameOrId.trim();
    if (nameOrId === "") throw invalidArgument("name_or_id", "required");
    const matches = await select(resource, { ...filter, nameOrId }, context);
    const [idKey = "id"] = resource.nameKeys;
    const byId = matches.find((message) => (message as Record<string, unknown>)[fieldOf(idKey)] === nameOrId);
    if (byId) return byId;
    if (matches.length > 1) {
      throw new AmbiguousNameError(
        resource.kind,
        nameOrId,
        matches.map((message) => ({ id: String((message as Record<string, unknown>).id) })),
      );
    }
    const [match] = matches;
    if (!match) throw new ResourceNotFoundError(resource.kind, nameOrId);
    return match;
  }

  return handlersOf(Oaktree, {
    getFlavor: (filter, context) => getOne(flavors, filter, context),
    listFlavors: async (filter, context) =>
      create(FlavorListSchema, { flavors: await select(flavors, filter, context) }),
    getImage: (filter, context) => getOne(images, filter, context),
    listImages: async (filter, context) =>
      create(ImageListSchema, { images: await select(images, filter, context) }),
    getFloatingIP: (filter, context) => getOne(floatingIps, filter, context),
    listFloatingIPs: async (filter, context) =>
      create(FloatingIPListSchema, { floatingIps: await select(floatingIps, filter, context) }),
    getSecurityGroup: (filter, context) => getOne(securityGroups, filter, context),
    listSecurityGroups: async (filter, context) =>
      create(SecurityGroupListSchema, { securityGroups: await select(securityGroups, filter, context) }),
    getSecurityGroupRule: (filter, context) => getOne(securityGroupRules, filter, context),
    listSecurityGroupRules: async (filter, context) =>
      create(SecurityGroupRuleListSchema, { rules: await select(securityGroupRules, filter, context) }),
  });
}

/** The 2017 Location as the registry routes it (cloud and region; zone and project do not route). */
function routedLocation(location: LegacyLocation | undefined): Location | undefined {
  if (!location) return undefined;
  return create(LocationSchema, { cloud: location.cloud, region: location.region, zone: location.zone });
}

/** A proto field name as protobuf-es names the property ("floating_ip_address" -> "floatingIpAddress"). */
function fieldOf(protoName: string): string {
  return protoName.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

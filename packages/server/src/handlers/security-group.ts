import { securityGroupRuleToProto, securityGroupToProto } from "../convert/security-group.js";
import { invalidArgument } from "../errors.js";
import {
  type CreateSecurityGroupRuleRequest,
  Direction,
  SecurityGroupSchema,
  SecurityGroupService,
} from "../gen/oaktree/v1/security_group_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";

/** SecurityGroupService: neutron's or nova-network's groups and rules in one shape. */
export function securityGroupHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(SecurityGroupService, {
    async getSecurityGroup(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      const group = await cloud.getSecurityGroup(nameOrId, callOf(context));
      return { securityGroup: securityGroupToProto(group) };
    },
    async listSecurityGroups(request, context) {
      const filter = compileFilter(SecurityGroupSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      const groups = await cloud.listSecurityGroups(callOf(context));
      return { securityGroups: filter.apply(groups.map(securityGroupToProto)) };
    },
    async createSecurityGroup(request, context) {
      const name = required("name", request.name);
      const cloud = await clouds.resolve(request.location);
      const group = await cloud.createSecurityGroup({
        name,
        ...(given(request.description) !== undefined && { description: request.description }),
        ...callOf(context),
      });
      return { securityGroup: securityGroupToProto(group) };
    },
    async deleteSecurityGroup(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("security group", nameOrId, await cloud.deleteSecurityGroup(nameOrId, callOf(context)));
      return {};
    },
    async createSecurityGroupRule(request, context) {
      const rule = ruleOptions(request);
      const cloud = await clouds.resolve(request.location);
      const created = await cloud.addSecurityGroupRule({ ...rule, ...callOf(context) });
      return { rule: securityGroupRuleToProto(created, undefined) };
    },
    async deleteSecurityGroupRule(request, context) {
      const id = required("id", request.id);
      const cloud = await clouds.resolve(request.location);
      deleted("security group rule", id, await cloud.deleteSecurityGroupRule(id, callOf(context)));
      return {};
    },
  });
}

const DIRECTIONS: Readonly<Partial<Record<Direction, "ingress" | "egress">>> = {
  [Direction.UNSPECIFIED]: "ingress",
  [Direction.INGRESS]: "ingress",
  [Direction.EGRESS]: "egress",
};

/** Protocols whose port range is a range of ports (icmp's "ports" are a type and a code). */
const PORT_PROTOCOLS = new Set(["tcp", "udp", "sctp", "6", "17", "132"]);

/** A CreateSecurityGroupRuleRequest checked field by field, as core's rule options. */
function ruleOptions(request: CreateSecurityGroupRuleRequest) {
  const securityGroup = required("security_group", request.securityGroup);
  const direction = DIRECTIONS[request.direction];
  if (direction === undefined) {
    throw invalidArgument(
      "direction",
      `unknown value ${request.direction}; use DIRECTION_INGRESS or DIRECTION_EGRESS`,
    );
  }
  const ethertype = given(request.ethertype) ?? "IPv4";
  if (ethertype !== "IPv4" && ethertype !== "IPv6")
    throw invalidArgument("ethertype", 'must be "IPv4" or "IPv6"');
  const { portRangeMin: min, portRangeMax: max } = request;
  for (const [field, value] of [
    ["port_range_min", min],
    ["port_range_max", max],
  ] as const) {
    if (value !== undefined && (value < 0 || value > 65535)) {
      throw invalidArgument(field, `must be between 0 and 65535, got ${value}`);
    }
  }
  const protocol = given(request.protocol.toLowerCase());
  if (min !== undefined && max !== undefined && min > max && PORT_PROTOCOLS.has(protocol ?? "")) {
    throw invalidArgument("port_range_min", `must not exceed port_range_max (${min} > ${max})`);
  }
  if ((min !== undefined || max !== undefined) && protocol === undefined) {
    throw invalidArgument("protocol", "is required with a port range");
  }
  if (request.remoteIpPrefix !== "" && request.remoteGroup !== "") {
    throw invalidArgument("remote_group", "cannot be combined with remote_ip_prefix");
  }
  return {
    securityGroup,
    direction,
    ethertype,
    ...(protocol !== undefined && { protocol }),
    ...(min !== undefined && { portRangeMin: min }),
    ...(max !== undefined && { portRangeMax: max }),
    ...(given(request.remoteIpPrefix) !== undefined && { remoteIpPrefix: request.remoteIpPrefix }),
    ...(given(request.remoteGroup) !== undefined && { remoteGroup: request.remoteGroup }),
    ...(given(request.description) !== undefined && { description: request.description }),
  } as const;
}

import { create } from "@bufbuild/protobuf";
import type { Location as LocationModel } from "@oaktree/core/models/location.js";
import type {
  SecurityGroup as SecurityGroupModel,
  SecurityGroupRule as SecurityGroupRuleModel,
} from "@oaktree/core/models/security-group.js";
import {
  Direction,
  type SecurityGroup,
  type SecurityGroupRule,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
} from "../gen/oaktree/v1/security_group_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** The proto's Direction for core's direction. */
export const DIRECTIONS: Readonly<Record<SecurityGroupRuleModel["direction"], Direction>> = {
  ingress: Direction.INGRESS,
  egress: Direction.EGRESS,
};

/** Core's SecurityGroup model (neutron or nova-network, one shape) as the proto's. */
export function securityGroupToProto(group: SecurityGroupModel): SecurityGroup {
  return create(SecurityGroupSchema, {
    location: locationToProto(group.location),
    id: group.id,
    name: group.name,
    rules: group.rules.map((rule) => securityGroupRuleToProto(rule, group.location)),
    description: group.description ?? "",
    ...(group.isStateful !== undefined && { isStateful: group.isStateful }),
    tags: [...group.tags],
    createdAt: timestampOf(group.createdAt),
    updatedAt: timestampOf(group.updatedAt),
    properties: propertiesOf({
      ...group.properties,
      ...(group.isShared !== undefined && { shared: group.isShared }),
    }),
  });
}

/** Core's SecurityGroupRule as the proto's; rules carry no location of their own in core. */
export function securityGroupRuleToProto(
  rule: SecurityGroupRuleModel,
  location: LocationModel | undefined,
): SecurityGroupRule {
  return create(SecurityGroupRuleSchema, {
    id: rule.id,
    securityGroupId: rule.securityGroupId,
    direction: DIRECTIONS[rule.direction] ?? Direction.UNSPECIFIED,
    ethertype: rule.ethertype,
    protocol: rule.protocol ?? "",
    ...(rule.portRangeMin !== undefined && { portRangeMin: rule.portRangeMin }),
    ...(rule.portRangeMax !== undefined && { portRangeMax: rule.portRangeMax }),
    remoteIpPrefix: rule.remoteIpPrefix ?? "",
    remoteGroupId: rule.remoteGroupId ?? "",
    description: rule.description ?? "",
    properties: propertiesOf(rule.properties),
    ...(location && { location: locationToProto(location) }),
  });
}

import type { Command } from "commander";
import {
  Direction,
  type SecurityGroup,
  type SecurityGroupRule,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
  SecurityGroupService,
} from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import type { ResourceView } from "../output.js";
import { deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree security group list`, as `openstack security group list` shows them. */
export const securityGroupView: ResourceView<typeof SecurityGroupSchema> = {
  schema: SecurityGroupSchema,
  columns: [
    { header: "ID", field: "id", cell: (g: SecurityGroup) => g.id },
    { header: "Name", field: "name", cell: (g) => g.name },
    { header: "Description", field: "description", cell: (g) => g.description },
  ],
};

/** The columns of `oaktree security group rule list`, as `openstack security group rule list` shows them. */
export const securityGroupRuleView: ResourceView<typeof SecurityGroupRuleSchema> = {
  schema: SecurityGroupRuleSchema,
  columns: [
    { header: "ID", field: "id", cell: (r: SecurityGroupRule) => r.id },
    { header: "IP Protocol", field: "protocol", cell: (r) => r.protocol },
    { header: "Ethertype", field: "ethertype", cell: (r) => r.ethertype },
    { header: "IP Range", field: "remote_ip_prefix", cell: (r) => r.remoteIpPrefix },
    { header: "Port Range", field: "port_range_min", cell: portRangeCell },
    { header: "Direction", field: "direction", cell: (r) => directionName(r.direction) },
    { header: "Remote Security Group", field: "remote_group_id", cell: (r) => r.remoteGroupId },
  ],
};

/** "22:22", "1000:2000", "" (any port), as openstack prints a rule's range. */
function portRangeCell(rule: SecurityGroupRule): string {
  if (rule.portRangeMin === undefined && rule.portRangeMax === undefined) return "";
  return `${rule.portRangeMin ?? ""}:${rule.portRangeMax ?? ""}`;
}

function directionName(direction: Direction): string {
  return direction === Direction.INGRESS ? "ingress" : direction === Direction.EGRESS ? "egress" : "";
}

interface RuleFlags extends ApiFlags {
  readonly protocol?: string;
  readonly dstPort?: string;
  readonly remoteIp?: string;
  readonly remoteGroup?: string;
  readonly ingress?: boolean;
  readonly egress?: boolean;
  readonly ethertype?: string;
  readonly description?: string;
}

/** `oaktree security group list|show|create|delete` and `security group rule create|delete|list`. */
export function registerSecurityGroup(program: Command): void {
  // openstack spells it in two words: `security group …`.
  const group = program
    .command("security")
    .description("Security groups (neutron): `security group …`")
    .command("group")
    .description("Security groups and their rules");
  listCommand(group, {
    view: securityGroupView,
    description: "List security groups",
    list: async ({ connection }, location) =>
      (await connection.client(SecurityGroupService).listSecurityGroups({ location })).securityGroups,
  });
  showCommand(group, {
    arg: "GROUP",
    description: "Show one security group (with its rules), by name or ID",
    schema: SecurityGroupSchema,
    get: async (context, nameOrId) =>
      (
        await context.connection
          .client(SecurityGroupService)
          .getSecurityGroup({ location: context.location(), nameOrId })
      ).securityGroup,
  });
  apiCommand(group, "create <NAME>", "Create a security group", async (context, flags, name: string) => {
    const { securityGroup } = await context.connection.client(SecurityGroupService).createSecurityGroup({
      location: context.location(),
      name,
      description: (flags as { description?: string }).description ?? "",
    });
    if (securityGroup) context.output.show(SecurityGroupSchema, securityGroup);
  }).option("--description <TEXT>", "a description");
  deleteCommand(group, "GROUP", "Delete security groups, by name or ID", (context, nameOrId) =>
    context.connection
      .client(SecurityGroupService)
      .deleteSecurityGroup({ location: context.location(), nameOrId }),
  );

  const rule = group.command("rule").description("Rules of a security group");
  apiCommand(
    rule,
    "list <GROUP>",
    "List a security group's rules",
    async (context, _flags, nameOrId: string) => {
      const { securityGroup } = await context.connection
        .client(SecurityGroupService)
        .getSecurityGroup({ location: context.location(), nameOrId });
      context.output.list(
        securityGroupRuleView,
        (securityGroup?.rules ?? []).map((item) => ({ item })),
      );
    },
  );
  apiCommand(
    rule,
    "create <GROUP>",
    "Add a rule to a security group",
    async (context, rawFlags, securityGroup: string) => {
      const flags = rawFlags as RuleFlags;
      if (flags.ingress && flags.egress) throw new UsageError("--ingress, --egress: give one of them");
      if (flags.remoteIp !== undefined && flags.remoteGroup !== undefined)
        throw new UsageError("--remote-ip, --remote-group: give one of them");
      const { rule } = await context.connection.client(SecurityGroupService).createSecurityGroupRule({
        location: context.location(),
        securityGroup,
        direction: flags.egress ? Direction.EGRESS : Direction.INGRESS,
        ethertype: ethertypeOf(flags.ethertype),
        protocol: flags.protocol ?? "",
        ...portRangeOf(flags.dstPort),
        remoteIpPrefix: flags.remoteIp ?? "",
        remoteGroup: flags.remoteGroup ?? "",
        description: flags.description ?? "",
      });
      if (rule) context.output.show(SecurityGroupRuleSchema, rule);
    },
  )
    .option("--protocol <PROTO>", "tcp, udp, icmp, a number, or any (default: any)")
    .option("--dst-port <MIN[:MAX]>", "destination port or range (tcp, udp)")
    .option("--remote-ip <CIDR>", "the addresses the rule admits")
    .option("--remote-group <GROUP>", "the security group whose members the rule admits")
    .option("--ingress", "incoming traffic (the default)")
    .option("--egress", "outgoing traffic")
    .option("--ethertype <IPv4|IPv6>", "IP version (default: the remote IP's, else IPv4)")
    .option("--description <TEXT>", "a description");
  deleteCommand(rule, "RULE_ID", "Delete security group rules, by ID", (context, id) =>
    context.connection
      .client(SecurityGroupService)
      .deleteSecurityGroupRule({ location: context.location(), id }),
  );
}

/** `--dst-port 22` or `--dst-port 1000:2000`, each 1–65535, min ≤ max. */
function portRangeOf(value: string | undefined): { portRangeMin?: number; portRangeMax?: number } {
  if (value === undefined) return {};
  const match = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(value.trim());
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (!match || min < 1 || max > 65535 || min > max)
    throw new UsageError(`--dst-port: "${value}" is not PORT or MIN:MAX (1-65535, MIN <= MAX)`);
  return { portRangeMin: min, portRangeMax: max };
}

function ethertypeOf(value: string | undefined): string {
  if (value === undefined) return "";
  const known = ["IPv4", "IPv6"].find((e) => e.toLowerCase() === value.toLowerCase());
  if (!known) throw new UsageError(`--ethertype: "${value}" is not IPv4 or IPv6`);
  return known;
}

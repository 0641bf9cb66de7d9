import type { Command } from "commander";
import { type Subnet, SubnetSchema, SubnetService } from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import type { ResourceView } from "../output.js";
import { collect, deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree subnet list`, as `openstack subnet list` shows them. */
export const subnetView: ResourceView<typeof SubnetSchema> = {
  schema: SubnetSchema,
  columns: [
    { header: "ID", field: "id", cell: (s: Subnet) => s.id },
    { header: "Name", field: "name", cell: (s) => s.name },
    { header: "Network", field: "network_id", cell: (s) => s.networkId },
    { header: "Subnet", field: "cidr", cell: (s) => s.cidr },
  ],
};

interface CreateFlags extends ApiFlags {
  readonly network: string;
  readonly subnetRange: string;
  readonly ipVersion?: string;
  readonly gateway?: string;
  readonly dhcp?: boolean;
  readonly dnsNameserver: string[];
  readonly description?: string;
}

/** `oaktree subnet list|show|create|delete`. */
export function registerSubnet(program: Command): void {
  const subnet = program.command("subnet").description("Subnets (neutron)");
  listCommand(subnet, {
    view: subnetView,
    description: "List subnets",
    list: async ({ connection }, location) =>
      (await connection.client(SubnetService).listSubnets({ location })).subnets,
  });
  showCommand(subnet, {
    arg: "SUBNET",
    description: "Show one subnet, by name or ID",
    schema: SubnetSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(SubnetService).getSubnet({ location: context.location(), nameOrId }))
        .subnet,
  });
  apiCommand(subnet, "create <NAME>", "Create a subnet", async (context, rawFlags, name: string) => {
    const flags = rawFlags as CreateFlags;
    const { subnet } = await context.connection.client(SubnetService).createSubnet({
      location: context.location(),
      name,
      network: flags.network,
      cidr: flags.subnetRange,
      ipVersion: ipVersionOf(flags.ipVersion),
      ...gatewayOf(flags.gateway),
      ...(flags.dhcp !== undefined && { enableDhcp: flags.dhcp }),
      dnsNameservers: flags.dnsNameserver,
      description: flags.description ?? "",
    });
    if (subnet) context.output.show(SubnetSchema, subnet);
  })
    .requiredOption("--network <NETWORK>", "the network it belongs to (name or ID)")
    .requiredOption("--subnet-range <CIDR>", "its addresses, e.g. 10.0.0.0/24")
    .option("--ip-version <4|6>", "IP version (default: the range's)")
    .option("--gateway <IP|auto|none>", "the gateway address; auto: the first address; none: no gateway")
    .option("--dhcp", "enable DHCP (the default)")
    .option("--no-dhcp", "disable DHCP")
    .option("--dns-nameserver <IP>", "a DNS server for its hosts (repeatable)", collect, [])
    .option("--description <TEXT>", "a description");
  deleteCommand(subnet, "SUBNET", "Delete subnets, by name or ID", (context, nameOrId) =>
    context.connection.client(SubnetService).deleteSubnet({ location: context.location(), nameOrId }),
  );
}

/** `--ip-version`: 4 or 6; absent: 0, the service takes the range's. */
function ipVersionOf(value: string | undefined): number {
  if (value === undefined) return 0;
  if (value !== "4" && value !== "6") throw new UsageError(`--ip-version: "${value}" is not 4 or 6`);
  return Number(value);
}

/** `--gateway`: an address, `auto` (the cloud picks, the default) or `none`. */
function gatewayOf(value: string | undefined): { gatewayIp?: string; disableGateway?: boolean } {
  if (value === undefined || value === "auto") return {};
  if (value === "none") return { disableGateway: true };
  return { gatewayIp: value };
}

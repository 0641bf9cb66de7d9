import type { Command } from "commander";
import { type Port, PortSchema, PortService } from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import type { ResourceView } from "../output.js";
import { collect, deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree port list`, as `openstack port list` shows them. */
export const portView: ResourceView<typeof PortSchema> = {
  schema: PortSchema,
  columns: [
    { header: "ID", field: "id", cell: (p: Port) => p.id },
    { header: "Name", field: "name", cell: (p) => p.name },
    { header: "MAC Address", field: "mac_address", cell: (p) => p.macAddress },
    {
      header: "Fixed IP Addresses",
      field: "fixed_ips",
      cell: (p) =>
        p.fixedIps.map((ip) => `ip_address='${ip.ipAddress}', subnet_id='${ip.subnetId}'`).join("; "),
    },
    { header: "Status", field: "status", cell: (p) => p.status },
  ],
};

interface CreateFlags extends ApiFlags {
  readonly network: string;
  readonly fixedIp: string[];
  readonly securityGroup: string[];
  readonly description?: string;
  readonly disable?: boolean;
}

/** `oaktree port list|show|create|delete`. */
export function registerPort(program: Command): void {
  const port = program.command("port").description("Ports (neutron)");
  listCommand(port, {
    view: portView,
    description: "List ports",
    list: async ({ connection }, location) =>
      (await connection.client(PortService).listPorts({ location })).ports,
  });
  showCommand(port, {
    arg: "PORT",
    description: "Show one port, by name or ID",
    schema: PortSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(PortService).getPort({ location: context.location(), nameOrId })).port,
  });
  apiCommand(port, "create <NAME>", "Create a port", async (context, rawFlags, name: string) => {
    const flags = rawFlags as CreateFlags;
    const { port } = await context.connection.client(PortService).createPort({
      location: context.location(),
      name,
      network: flags.network,
      description: flags.description ?? "",
      fixedIps: flags.fixedIp.map(fixedIpOf),
      securityGroupIds: flags.securityGroup,
      ...(flags.disable && { adminStateUp: false }),
    });
    if (port) context.output.show(PortSchema, port);
  })
    .requiredOption("--network <NETWORK>", "the network it is on (name or ID)")
    .option(
      "--fixed-ip <subnet=SUBNET,ip-address=IP>",
      "an address for it: subnet ID and/or IP (repeatable)",
      collect,
      [],
    )
    .option("--security-group <GROUP_ID>", "a security group's ID (repeatable)", collect, [])
    .option("--description <TEXT>", "a description")
    .option("--enable", "admin state up (the default)")
    .option("--disable", "admin state down");
  deleteCommand(port, "PORT", "Delete ports, by name or ID", (context, nameOrId) =>
    context.connection.client(PortService).deletePort({ location: context.location(), nameOrId }),
  );
}

/** `--fixed-ip subnet=ID,ip-address=IP` (either part may be left out), as openstack spells it. */
function fixedIpOf(value: string): { subnetId: string; ipAddress: string } {
  const fixed = { subnetId: "", ipAddress: "" };
  for (const part of value.split(",")) {
    const [key, v = ""] = part.split("=", 2);
    if (key === "subnet" && v) fixed.subnetId = v;
    else if (key === "ip-address" && v) fixed.ipAddress = v;
    else throw new UsageError(`--fixed-ip: "${value}" is not subnet=SUBNET,ip-address=IP`);
  }
  return fixed;
}

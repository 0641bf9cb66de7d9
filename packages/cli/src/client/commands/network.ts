import type { Command } from "commander";
import { type Network, NetworkSchema, NetworkService } from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import type { ResourceView } from "../output.js";
import { deleteCommand, showCommand, wholeNumber } from "./resource-helpers.js";

/** The columns of `oaktree network list`, as `openstack network list` shows them. */
export const networkView: ResourceView<typeof NetworkSchema> = {
  schema: NetworkSchema,
  columns: [
    { header: "ID", field: "id", cell: (n: Network) => n.id },
    { header: "Name", field: "name", cell: (n) => n.name },
    { header: "Subnets", field: "subnet_ids", cell: (n) => n.subnetIds.join(", ") },
  ],
};

interface CreateFlags extends ApiFlags {
  readonly description?: string;
  readonly share?: boolean;
  readonly external?: boolean;
  readonly enable?: boolean;
  readonly disable?: boolean;
  readonly mtu?: string;
}

/** `oaktree network list|show|create|delete`. */
export function registerNetwork(program: Command): void {
  const network = program.command("network").description("Networks (neutron)");
  listCommand(network, {
    view: networkView,
    description: "List networks",
    list: async ({ connection }, location) =>
      (await connection.client(NetworkService).listNetworks({ location })).networks,
  });
  showCommand(network, {
    arg: "NETWORK",
    description: "Show one network, by name or ID",
    schema: NetworkSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(NetworkService).getNetwork({ location: context.location(), nameOrId }))
        .network,
  });
  apiCommand(network, "create <NAME>", "Create a network", async (context, rawFlags, name: string) => {
    const flags = rawFlags as CreateFlags;
    const mtu = wholeNumber("--mtu", flags.mtu, 68);
    const { network } = await context.connection.client(NetworkService).createNetwork({
      location: context.location(),
      name,
      description: flags.description ?? "",
      shared: Boolean(flags.share),
      routerExternal: Boolean(flags.external),
      ...(flags.disable ? { adminStateUp: false } : flags.enable ? { adminStateUp: true } : {}),
      ...(mtu !== undefined && { mtu }),
    });
    if (network) context.output.show(NetworkSchema, network);
  })
    .option("--description <TEXT>", "a description")
    .option("--share", "share it with every project")
    .option("--no-share", "only this project (the default)")
    .option("--external", "an external network (routers' gateways, floating IPs)")
    .option("--internal", "not external (the default)")
    .option("--enable", "admin state up (the default)")
    .option("--disable", "admin state down")
    .option("--mtu <BYTES>", "its MTU");
  deleteCommand(network, "NETWORK", "Delete networks, by name or ID", (context, nameOrId) =>
    context.connection.client(NetworkService).deleteNetwork({ location: context.location(), nameOrId }),
  );
}

import type { Command } from "commander";
import { type FloatingIp, FloatingIpSchema, FloatingIpService } from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import type { ResourceView } from "../output.js";
import { deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree floating ip list`, as `openstack floating ip list` shows them. */
export const floatingIpView: ResourceView<typeof FloatingIpSchema> = {
  schema: FloatingIpSchema,
  columns: [
    { header: "ID", field: "id", cell: (f: FloatingIp) => f.id },
    { header: "Floating IP Address", field: "floating_ip_address", cell: (f) => f.floatingIpAddress },
    { header: "Fixed IP Address", field: "fixed_ip_address", cell: (f) => f.fixedIpAddress },
    { header: "Port", field: "port_id", cell: (f) => f.portId },
    { header: "Floating Network", field: "network_id", cell: (f) => f.networkId },
  ],
};

interface NatFlags extends ApiFlags {
  readonly attachTo?: string;
  readonly natDestination?: string;
}

/** `oaktree floating ip list|show|create|delete|attach|detach`. */
export function registerFloatingIp(program: Command): void {
  // openstack spells it in two words: `floating ip …`.
  const ip = program
    .command("floating")
    .description("Floating IPs: `floating ip …`")
    .command("ip")
    .description("Floating IPs (public addresses for servers)");
  listCommand(ip, {
    view: floatingIpView,
    description: "List floating IPs",
    list: async ({ connection }, location) =>
      (await connection.client(FloatingIpService).listFloatingIps({ location })).floatingIps,
  });
  showCommand(ip, {
    arg: "FLOATING_IP",
    description: "Show one floating IP, by address or ID",
    schema: FloatingIpSchema,
    get: async (context, nameOrId) =>
      (
        await context.connection
          .client(FloatingIpService)
          .getFloatingIp({ location: context.location(), nameOrId })
      ).floatingIp,
  });
  apiCommand(
    ip,
    "create [NETWORK]",
    "Allocate a floating IP (from NETWORK, default: the cloud's external network), optionally for a server",
    async (context, rawFlags, network: string | undefined) => {
      const flags = rawFlags as NatFlags;
      const { floatingIp } = await context.connection.client(FloatingIpService).createFloatingIp({
        location: context.location(),
        network: network ?? "",
        server: flags.attachTo ?? "",
        natDestination: flags.natDestination ?? "",
      });
      if (floatingIp) context.output.show(FloatingIpSchema, floatingIp);
    },
  )
    // Not `--server`: on every API command that flag names the oaktree to connect to.
    .option("--attach-to <SERVER>", "attach it to this server")
    .option("--nat-destination <NETWORK>", "with --attach-to: the server's network to attach it on");
  deleteCommand(ip, "FLOATING_IP", "Release floating IPs, by address or ID", (context, nameOrId) =>
    context.connection.client(FloatingIpService).deleteFloatingIp({ location: context.location(), nameOrId }),
  );
  apiCommand(
    ip,
    "attach <FLOATING_IP> <SERVER>",
    "Attach a floating IP to a server",
    async (context, rawFlags, floatingIp: string, server: string) => {
      const flags = rawFlags as NatFlags;
      const response = await context.connection.client(FloatingIpService).attachFloatingIp({
        location: context.location(),
        floatingIp,
        server,
        natDestination: flags.natDestination ?? "",
      });
      if (response.floatingIp) context.output.show(FloatingIpSchema, response.floatingIp);
    },
  ).option("--nat-destination <NETWORK>", "the server's network to attach it on (when it has several)");
  apiCommand(
    ip,
    "detach <FLOATING_IP>",
    "Detach a floating IP from its server (it stays allocated)",
    async (context, _flags, floatingIp: string) => {
      const response = await context.connection
        .client(FloatingIpService)
        .detachFloatingIp({ location: context.location(), floatingIp });
      if (response.floatingIp) context.output.show(FloatingIpSchema, response.floatingIp);
    },
  );
}

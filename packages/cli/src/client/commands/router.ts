import type { Command } from "commander";
import { type Router, RouterSchema, RouterService } from "../api.js";
import { type ApiFlags, apiCommand, listCommand } from "../command.js";
import type { ResourceView } from "../output.js";
import { deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree router list`, as `openstack router list` shows them. */
export const routerView: ResourceView<typeof RouterSchema> = {
  schema: RouterSchema,
  columns: [
    { header: "ID", field: "id", cell: (r: Router) => r.id },
    { header: "Name", field: "name", cell: (r) => r.name },
    { header: "Status", field: "status", cell: (r) => r.status },
    { header: "State", field: "is_admin_state_up", cell: (r) => (r.isAdminStateUp ? "UP" : "DOWN") },
    {
      header: "External Gateway",
      field: "external_gateway",
      cell: (r) => r.externalGateway?.networkId ?? "",
    },
  ],
};

interface CreateFlags extends ApiFlags {
  readonly externalGateway?: string;
  readonly enableSnat?: boolean;
  readonly disableSnat?: boolean;
  readonly description?: string;
  readonly disable?: boolean;
}

/** `oaktree router list|show|create|delete`, `router add|remove subnet`. */
export function registerRouter(program: Command): void {
  const router = program.command("router").description("Routers (neutron)");
  listCommand(router, {
    view: routerView,
    description: "List routers",
    list: async ({ connection }, location) =>
      (await connection.client(RouterService).listRouters({ location })).routers,
  });
  showCommand(router, {
    arg: "ROUTER",
    description: "Show one router, by name or ID",
    schema: RouterSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(RouterService).getRouter({ location: context.location(), nameOrId }))
        .router,
  });
  apiCommand(router, "create <NAME>", "Create a router", async (context, rawFlags, name: string) => {
    const flags = rawFlags as CreateFlags;
    const { router } = await context.connection.client(RouterService).createRouter({
      location: context.location(),
      name,
      description: flags.description ?? "",
      externalNetwork: flags.externalGateway ?? "",
      ...(flags.disableSnat ? { enableSnat: false } : flags.enableSnat ? { enableSnat: true } : {}),
      ...(flags.disable && { adminStateUp: false }),
    });
    if (router) context.output.show(RouterSchema, router);
  })
    .option("--external-gateway <NETWORK>", "the external network of its gateway")
    .option("--enable-snat", "SNAT on the gateway (the cloud's default)")
    .option("--disable-snat", "no SNAT on the gateway")
    .option("--description <TEXT>", "a description")
    .option("--enable", "admin state up (the default)")
    .option("--disable", "admin state down");
  deleteCommand(router, "ROUTER", "Delete routers, by name or ID", (context, nameOrId) =>
    context.connection.client(RouterService).deleteRouter({ location: context.location(), nameOrId }),
  );

  const add = router.command("add").description("Connect something to a router");
  apiCommand(
    add,
    "subnet <ROUTER> <SUBNET>",
    "Add an interface on a subnet to a router",
    async (context, _flags, routerName: string, subnet: string) => {
      const { portId } = await context.connection
        .client(RouterService)
        .addRouterInterface({ location: context.location(), router: routerName, subnet });
      context.output.note(`Added subnet ${subnet} to router ${routerName} (port ${portId})`);
    },
  );
  const remove = router.command("remove").description("Disconnect something from a router");
  apiCommand(
    remove,
    "subnet <ROUTER> <SUBNET>",
    "Remove a router's interface on a subnet",
    async (context, _flags, routerName: string, subnet: string) => {
      await context.connection
        .client(RouterService)
        .removeRouterInterface({ location: context.location(), router: routerName, subnet });
    },
  );
}

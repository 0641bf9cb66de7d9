import type { Command } from "commander";
import { type Flavor, FlavorSchema, FlavorService } from "../api.js";
import { apiCommand, listCommand } from "../command.js";
import type { ResourceView } from "../output.js";

/** The columns of `oaktree flavor list`, as `openstack flavor list` shows them. */
export const flavorView: ResourceView<typeof FlavorSchema> = {
  schema: FlavorSchema,
  columns: [
    { header: "ID", field: "id", cell: (f: Flavor) => f.id },
    { header: "Name", field: "name", cell: (f) => f.name },
    { header: "RAM", field: "ram", cell: (f) => String(f.ram) },
    { header: "Disk", field: "disk", cell: (f) => String(f.disk) },
    { header: "Ephemeral", field: "ephemeral", cell: (f) => String(f.ephemeral) },
    { header: "VCPUs", field: "vcpus", cell: (f) => String(f.vcpus) },
    { header: "Is Public", field: "is_public", cell: (f) => String(f.isPublic) },
  ],
};

/** `oaktree flavor list|show`. */
export function registerFlavor(program: Command): void {
  const flavor = program.command("flavor").description("Flavors (server sizes)");
  listCommand(flavor, {
    view: flavorView,
    description: "List flavors",
    list: async ({ connection }, location) =>
      (await connection.client(FlavorService).listFlavors({ location })).flavors,
  });
  apiCommand(
    flavor,
    "show <FLAVOR>",
    "Show one flavor, by name or ID",
    async (context, _flags, nameOrId: string) => {
      const { flavor } = await context.connection
        .client(FlavorService)
        .getFlavor({ location: context.location(), nameOrId });
      if (flavor) context.output.show(FlavorSchema, flavor);
    },
  );
}

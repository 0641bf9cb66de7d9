import type { Command } from "commander";
import { type CreateVolumeResponse, type Volume, VolumeSchema, VolumeService } from "../api.js";
import { type ApiFlags, apiCommand, type CommandContext, listCommand } from "../command.js";
import type { ResourceView } from "../output.js";
import { followProgress } from "../wait.js";
import { collect, deleteCommand, keyValues, showCommand, wholeNumber } from "./resource-helpers.js";

/** The columns of `oaktree volume list`, as `openstack volume list` shows them. */
export const volumeView: ResourceView<typeof VolumeSchema> = {
  schema: VolumeSchema,
  columns: [
    { header: "ID", field: "id", cell: (v: Volume) => v.id },
    { header: "Name", field: "name", cell: (v) => v.name },
    { header: "Status", field: "status", cell: (v) => v.status },
    { header: "Size", field: "size", cell: (v) => String(v.size) },
    { header: "Attached to", field: "attachments", cell: attachedCell },
  ],
};

/** "Attached to <server> on /dev/vdb", one per attachment, as openstack prints them. */
function attachedCell(volume: Volume): string {
  return volume.attachments.map((a) => `Attached to ${a.serverId} on ${a.device}`).join("; ");
}

interface CreateFlags extends ApiFlags {
  readonly size?: string;
  readonly image?: string;
  readonly snapshot?: string;
  readonly type?: string;
  readonly availabilityZone?: string;
  readonly description?: string;
  readonly property: string[];
  readonly wait?: boolean;
  readonly timeout?: string;
}

/** `oaktree volume list|show|create|delete|attach|detach`. */
export function registerVolume(program: Command): void {
  const volume = program.command("volume").description("Volumes (cinder)");
  listCommand(volume, {
    view: volumeView,
    description: "List volumes",
    list: async ({ connection }, location) =>
      (await connection.client(VolumeService).listVolumes({ location })).volumes,
  });
  showCommand(volume, {
    arg: "VOLUME",
    description: "Show one volume, by name or ID",
    schema: VolumeSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(VolumeService).getVolume({ location: context.location(), nameOrId }))
        .volume,
  });
  apiCommand(volume, "create <NAME>", "Create a volume", (context, flags, name: string) =>
    createVolume(context, flags as CreateFlags, name),
  )
    .option("--size <GB>", "its size in GiB (required unless --snapshot)")
    .option("--image <IMAGE>", "make it from this image (name or ID)")
    .option("--snapshot <SNAPSHOT_ID>", "make it from this volume snapshot")
    .option("--type <TYPE>", "volume type")
    .option("--availability-zone <ZONE>", "availability zone")
    .option("--description <TEXT>", "a description")
    .option("--property <KEY=VALUE>", "metadata (repeatable)", collect, [])
    .option("--wait", "wait until it is available, showing progress")
    .option("--no-wait", "return once the cloud accepted it (the default)")
    .option("--timeout <SECONDS>", "with --wait: give up (and delete it) after this long");
  deleteCommand(volume, "VOLUME", "Delete volumes, by name or ID", (context, nameOrId, flags) =>
    context.connection.client(VolumeService).deleteVolume({
      location: context.location(),
      nameOrId,
      wait: Boolean((flags as { wait?: boolean }).wait),
    }),
  ).option("--wait", "return once each is gone (default: once the cloud accepted the delete)");
  apiCommand(
    volume,
    "attach <VOLUME> <SERVER>",
    "Attach a volume to a server",
    async (context, _flags, volumeName: string, server: string) => {
      const response = await context.connection
        .client(VolumeService)
        .attachVolume({ location: context.location(), volume: volumeName, server });
      if (response.volume) context.output.show(VolumeSchema, response.volume);
    },
  );
  apiCommand(
    volume,
    "detach <VOLUME> <SERVER>",
    "Detach a volume from a server",
    async (context, _flags, volumeName: string, server: string) => {
      const response = await context.connection
        .client(VolumeService)
        .detachVolume({ location: context.location(), volume: volumeName, server });
      if (response.volume) context.output.show(VolumeSchema, response.volume);
    },
  );
}

async function createVolume(context: CommandContext, flags: CreateFlags, name: string): Promise<void> {
  const size = wholeNumber("--size", flags.size);
  const timeoutSeconds = wholeNumber("--timeout", flags.timeout);
  const metadata = keyValues("--property", flags.property);
  const wait = Boolean(flags.wait);
  const events = await followProgress<CreateVolumeResponse>(
    context,
    {
      what: `creating volume ${name}`,
      show: wait,
      summary: (all) => all.findLast((event) => event.volume)?.volume?.status ?? "done",
      interrupted: `Stopped waiting; the cloud goes on creating volume ${name}: see \`oaktree volume show ${name}\`.\n`,
    },
    (signal) =>
      context.connection.client(VolumeService).createVolume(
        {
          location: context.location(),
          name,
          size: size ?? 0,
          description: flags.description ?? "",
          volumeType: flags.type ?? "",
          availabilityZone: flags.availabilityZone ?? "",
          image: flags.image ?? "",
          snapshotId: flags.snapshot ?? "",
          metadata,
          wait,
          ...(timeoutSeconds !== undefined && { timeoutSeconds }),
        },
        { signal },
      ),
  );
  const created = events.findLast((event) => event.volume)?.volume;
  if (created) context.output.show(VolumeSchema, created);
}

import type { Command } from "commander";
import { type CreateImageResponse, type Image, ImageSchema, ImageService } from "../api.js";
import { type ApiFlags, apiCommand, type CommandContext, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import { catchInterrupt } from "../interrupt.js";
import type { ResourceView } from "../output.js";
import { uploadDisplay, uploadRequests, uploadSource } from "./image-upload.js";
import { collect, deleteCommand, keyValues, showCommand, wholeNumber } from "./resource-helpers.js";

/** The columns of `oaktree image list`, as `openstack image list` shows them. */
export const imageView: ResourceView<typeof ImageSchema> = {
  schema: ImageSchema,
  columns: [
    { header: "ID", field: "id", cell: (i: Image) => i.id },
    { header: "Name", field: "name", cell: (i) => i.name },
    { header: "Status", field: "status", cell: (i) => i.status },
  ],
};

const VISIBILITIES = ["public", "private", "shared", "community"] as const;

interface CreateFlags extends ApiFlags {
  readonly file: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly property: string[];
  readonly tag: string[];
  readonly minDisk?: string;
  readonly minRam?: string;
  readonly public?: boolean;
  readonly private?: boolean;
  readonly shared?: boolean;
  readonly community?: boolean;
  readonly wait?: boolean;
  readonly timeout?: string;
}

/** `oaktree image list|show|create|delete`. */
export function registerImage(program: Command): void {
  const image = program.command("image").description("Images (glance)");
  listCommand(image, {
    view: imageView,
    description: "List images",
    list: async ({ connection }, location) =>
      (await connection.client(ImageService).listImages({ location })).images,
  });
  showCommand(image, {
    arg: "IMAGE",
    description: "Show one image, by name or ID",
    schema: ImageSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(ImageService).getImage({ location: context.location(), nameOrId }))
        .image,
  });
  apiCommand(image, "create <NAME>", "Upload an image from a file", (context, flags, name: string) =>
    createImage(context, flags as CreateFlags, name),
  )
    .requiredOption("--file <FILE>", "the image file to upload")
    .option("--disk-format <FORMAT>", "qcow2, raw, vmdk, … (default: the cloud's preferred, else qcow2)")
    .option("--container-format <FORMAT>", "bare, ovf, … (default: bare)")
    .option("--property <KEY=VALUE>", "a property, e.g. os_distro=ubuntu (repeatable)", collect, [])
    .option("--tag <TAG>", "a tag (repeatable)", collect, [])
    .option("--min-disk <GB>", "the least disk a server needs for it")
    .option("--min-ram <MB>", "the least memory a server needs for it")
    .option("--public", "visible to every project")
    .option("--private", "only this project (the default)")
    .option("--shared", "this project and those it is shared with")
    .option("--community", "every project, unlisted")
    .option("--wait", "wait until the cloud has processed it and it is active (the default)")
    .option("--no-wait", "return once every byte is uploaded")
    .option("--timeout <SECONDS>", "give up after this long (the partial image is deleted)");
  deleteCommand(image, "IMAGE", "Delete images, by name or ID", (context, nameOrId) =>
    context.connection.client(ImageService).deleteImage({ location: context.location(), nameOrId }),
  );
}

/** `--public|--private|--shared|--community`: at most one. */
function visibilityOf(flags: CreateFlags): string {
  const given = VISIBILITIES.filter((v) => flags[v]);
  if (given.length > 1) throw new UsageError(`--${given.join(", --")}: give one of them`);
  return given[0] ?? "";
}

async function createImage(context: CommandContext, flags: CreateFlags, name: string): Promise<void> {
  const properties = keyValues("--property", flags.property);
  const visibility = visibilityOf(flags);
  const minDisk = wholeNumber("--min-disk", flags.minDisk, 0);
  const minRam = wholeNumber("--min-ram", flags.minRam, 0);
  const timeoutSeconds = wholeNumber("--timeout", flags.timeout);
  const source = await uploadSource(flags.file);
  const first = {
    location: context.location(),
    spec: {
      name,
      diskFormat: flags.diskFormat ?? "",
      containerFormat: flags.containerFormat ?? "",
      properties,
      visibility,
      tags: flags.tag,
      checksum: source.md5,
      size: BigInt(source.size),
      ...(minDisk !== undefined && { minDisk }),
      ...(minRam !== undefined && { minRam }),
      ...(flags.wait !== undefined && { wait: flags.wait }),
      ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    },
  };
  const interrupt = catchInterrupt();
  const display = uploadDisplay(context.stderr, `uploading image ${name}`, source.size);
  try {
    let last: CreateImageResponse | undefined;
    for await (const event of context.connection
      .client(ImageService)
      .createImage(uploadRequests(first, source), { signal: interrupt.signal })) {
      if (event.progress) display.update(event.progress);
      if (event.image) last = event;
    }
    display.finish(
      `${last?.image?.status ?? "done"}${last?.existing ? " (an identical image existed: nothing uploaded)" : ""}`,
    );
    if (last?.image) context.output.show(ImageSchema, last.image);
  } catch (error) {
    display.stop();
    if (!interrupt.interrupted()) throw error;
    // In-process, the service ends with this process: nothing is left to delete a partial image.
    context.stderr.write(
      `Stopped the upload of image ${name}. The cloud may keep a partial image (status queued or saving):\n` +
        `  oaktree image list    # then: oaktree image delete ID\n` +
        "Running the same command again uploads the file anew.\n",
    );
    return context.interrupted();
  } finally {
    interrupt.dispose();
  }
}

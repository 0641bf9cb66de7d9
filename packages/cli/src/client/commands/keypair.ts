import { type FileHandle, open, readFile, rm } from "node:fs/promises";
import type { Command } from "commander";
import { type Keypair, KeypairSchema, KeypairService } from "../api.js";
import { type ApiFlags, apiCommand, type CommandContext, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import type { ResourceView } from "../output.js";
import { deleteCommand, showCommand } from "./resource-helpers.js";

/** The columns of `oaktree keypair list`, as `openstack keypair list` shows them. */
export const keypairView: ResourceView<typeof KeypairSchema> = {
  schema: KeypairSchema,
  columns: [
    { header: "Name", field: "name", cell: (k: Keypair) => k.name },
    { header: "Fingerprint", field: "fingerprint", cell: (k) => k.fingerprint },
    { header: "Type", field: "type", cell: (k) => k.type },
  ],
};

interface CreateFlags extends ApiFlags {
  readonly publicKey?: string;
  readonly privateKey?: string;
}

/** `oaktree keypair list|show|create|delete`. */
export function registerKeypair(program: Command): void {
  const keypair = program.command("keypair").description("SSH keypairs (nova)");
  listCommand(keypair, {
    view: keypairView,
    description: "List keypairs",
    list: async ({ connection }, location) =>
      (await connection.client(KeypairService).listKeypairs({ location })).keypairs,
  });
  showCommand(keypair, {
    arg: "KEYPAIR",
    description: "Show one keypair, by name",
    schema: KeypairSchema,
    get: async (context, nameOrId) =>
      (await context.connection.client(KeypairService).getKeypair({ location: context.location(), nameOrId }))
        .keypair,
  });
  apiCommand(
    keypair,
    "create <NAME>",
    "Create a keypair: import --public-key, or let the cloud generate one (its private key is shown once)",
    (context, flags, name: string) => createKeypair(context, flags as CreateFlags, name),
  )
    .option("--public-key <FILE>", "import this OpenSSH public key instead of generating one")
    .option("--private-key <FILE>", "write the generated private key to this new file (mode 0600)");
  deleteCommand(keypair, "KEYPAIR", "Delete keypairs, by name", (context, nameOrId) =>
    context.connection.client(KeypairService).deleteKeypair({ location: context.location(), nameOrId }),
  );
}

async function createKeypair(context: CommandContext, flags: CreateFlags, name: string): Promise<void> {
  if (flags.publicKey !== undefined && flags.privateKey !== undefined)
    throw new UsageError("--private-key: only for a generated key, not with --public-key");
  const publicKey = flags.publicKey === undefined ? "" : await readPublicKey(flags.publicKey);
  // The file is made before the call, so that a key the cloud generates is never lost to a
  // file that cannot be written.
  const keyFile = flags.privateKey === undefined ? undefined : await newPrivateKeyFile(flags.privateKey);
  let keypair: Keypair | undefined;
  try {
    ({ keypair } = await context.connection
      .client(KeypairService)
      .createKeypair({ location: context.location(), name, publicKey }));
    if (keyFile) await keyFile.writeFile(keypair?.privateKey ?? "");
  } catch (error) {
    await keyFile?.close();
    if (flags.privateKey !== undefined) await rm(flags.privateKey, { force: true });
    throw error;
  }
  await keyFile?.close();
  if (!keypair) return;
  if (keyFile) {
    context.output.show(KeypairSchema, { ...keypair, privateKey: "" });
    return;
  }
  // As `openstack keypair create`: a generated private key is printed (the only time it can be).
  if (keypair.privateKey && context.output.format === "table")
    process.stdout.write(ensureNewline(keypair.privateKey));
  else context.output.show(KeypairSchema, keypair);
}

/** A new file for a private key: never overwrites one (it may be another key); 0600 as ssh wants. */
async function newPrivateKeyFile(file: string): Promise<FileHandle> {
  try {
    return await open(file, "wx", 0o600);
  } catch (error) {
    throw new UsageError(`--private-key ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

async function readPublicKey(file: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`--public-key ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

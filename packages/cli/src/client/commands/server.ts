import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Command } from "commander";
import {
  type CreateServerRequestSchema,
  type CreateServerResponse,
  EventType,
  type Server,
  ServerSchema,
  ServerService,
  WatchServersResponseSchema,
} from "../api.js";
import { type ApiFlags, apiCommand, type CommandContext, listCommand } from "../command.js";
import { UsageError } from "../errors.js";
import { catchInterrupt, shellLine } from "../interrupt.js";
import { jsonOf, type ResourceView } from "../output.js";
import { followProgress } from "../wait.js";

/** The columns of `oaktree server list`, as `openstack server list` shows them. */
export const serverView: ResourceView<typeof ServerSchema> = {
  schema: ServerSchema,
  columns: [
    { header: "ID", field: "id", cell: (s: Server) => s.id },
    { header: "Name", field: "name", cell: (s) => s.name },
    { header: "Status", field: "status", cell: (s) => s.status },
    { header: "Networks", field: "addresses", cell: networksCell },
    { header: "Image", field: "image_id", cell: (s) => s.imageId },
    { header: "Flavor", field: "flavor", cell: (s) => s.flavor?.name || s.flavor?.id || "" },
  ],
};

/** "private=10.0.0.5, 172.24.4.10; other=…", as the openstack CLI prints addresses. */
function networksCell(server: Server): string {
  const byNetwork = new Map<string, string[]>();
  for (const a of server.addresses)
    byNetwork.set(a.network, [...(byNetwork.get(a.network) ?? []), a.address]);
  return [...byNetwork].map(([network, addresses]) => `${network}=${addresses.join(", ")}`).join("; ");
}

interface CreateFlags extends ApiFlags {
  readonly image: string;
  readonly flavor: string;
  readonly network: string[];
  readonly autoIp?: boolean;
  readonly bootFromVolume?: boolean;
  readonly volumeSize?: string;
  readonly keyName?: string;
  readonly securityGroup: string[];
  readonly userData?: string;
  readonly wait?: boolean;
  readonly timeout?: string;
  readonly clientToken?: string;
}

interface DeleteFlags extends ApiFlags {
  readonly wait?: boolean;
  readonly deleteIps?: boolean;
  readonly timeout?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `oaktree server create|list|show|delete|watch`. */
export function registerServer(program: Command): void {
  const server = program.command("server").description("Servers (nova instances)");
  listCommand(server, {
    view: serverView,
    description: "List servers",
    list: async ({ connection }, location) =>
      (await connection.client(ServerService).listServers({ location })).servers,
  });

  apiCommand(
    server,
    "show <SERVER>",
    "Show one server, by name or ID",
    async (context, _flags, nameOrId: string) => {
      const { server } = await context.connection
        .client(ServerService)
        .getServer({ location: context.location(), nameOrId });
      if (server) context.output.show(ServerSchema, server);
    },
  );

  apiCommand(
    server,
    "create <NAME>",
    "Create a server (and make it reachable)",
    (context, flags, name: string) => createServer(context, flags as CreateFlags, name, rawArgsOf(server)),
  )
    .requiredOption("--image <IMAGE>", "image name or ID")
    .requiredOption("--flavor <FLAVOR>", "flavor name or ID")
    .option("--network <NETWORK>", "network name or ID (repeatable; default: the cloud's)", collect, [])
    .option("--auto-ip", "give it a public IP when it has none (the default)")
    .option("--no-auto-ip", "no floating IP")
    .option("--boot-from-volume", "boot from a new volume made from the image")
    .option("--volume-size <GB>", "size of the boot volume (with --boot-from-volume)")
    .option("--key-name <KEYPAIR>", "the keypair to inject")
    .option("--security-group <GROUP>", "security group name or ID (repeatable)", collect, [])
    .option("--user-data <FILE>", "user data (cloud-init) file")
    .option("--wait", "wait until it is ACTIVE and reachable, showing progress")
    .option("--timeout <SECONDS>", "give up waiting after this long")
    .option("--client-token <TOKEN>", "idempotency token: the same token resumes or returns the same server");

  apiCommand(server, "delete <SERVER>", "Delete a server", (context, flags, nameOrId: string) =>
    deleteServer(context, flags as DeleteFlags, nameOrId),
  )
    .option("--wait", "wait until it is gone, showing progress")
    .option("--delete-ips", "also delete the floating IPs attached to it")
    .option("--timeout <SECONDS>", "give up waiting after this long");

  apiCommand(server, "watch", "Print server events as they happen (Ctrl-C stops)", watchServers);
}

/** The command line as the user typed it (for the resume hint). */
function rawArgsOf(command: Command): string[] {
  let root = command;
  while (root.parent) root = root.parent;
  // commander keeps the arguments it parsed (undocumented in its types): with { from: "user" }, argv as given.
  return [...((root as unknown as { rawArgs: string[] }).rawArgs ?? [])];
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag}: "${value}" is not a positive whole number`);
  return n;
}

async function createServer(
  context: CommandContext,
  flags: CreateFlags,
  name: string,
  argv: string[],
): Promise<void> {
  const volumeSize = positiveInt("--volume-size", flags.volumeSize);
  const timeoutSeconds = positiveInt("--timeout", flags.timeout);
  let userData: Uint8Array | undefined;
  if (flags.userData !== undefined) {
    try {
      userData = await readFile(flags.userData);
    } catch (error) {
      throw new UsageError(
        `--user-data ${flags.userData}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  // Every create has a token, so that an interrupted wait can be resumed without a second server.
  const clientToken = flags.clientToken ?? randomUUID();
  const request: MessageInitShape<typeof CreateServerRequestSchema> = {
    location: context.location(),
    name,
    image: flags.image,
    flavor: flags.flavor,
    networks: flags.network,
    securityGroups: flags.securityGroup,
    clientToken,
    wait: Boolean(flags.wait),
    ...(flags.autoIp !== undefined && { autoIp: flags.autoIp }),
    ...(flags.bootFromVolume && { bootFromVolume: true }),
    ...(volumeSize !== undefined && { volumeSize }),
    ...(flags.keyName !== undefined && { keyName: flags.keyName }),
    ...(userData && { userData }),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
  };
  const resume = argv.includes("--client-token") ? argv : [...argv, "--client-token", clientToken];
  const events = await followProgress<CreateServerResponse>(
    context,
    {
      what: `creating server ${name}`,
      show: Boolean(flags.wait),
      summary: (all) => createSummary(all.findLast((event) => event.server)),
      interrupted:
        `Stopped waiting; nothing was deleted: the cloud goes on building server ${name}.\n` +
        "To wait again (and finish making it reachable), run the same command with its client token:\n" +
        `  oaktree ${shellLine(resume)}\n`,
    },
    (signal) => context.connection.client(ServerService).createServer(request, { signal }),
  );
  const server = events.findLast((event) => event.server)?.server;
  if (server) context.output.show(ServerSchema, server);
}

/** "ACTIVE, reachable at 172.24.4.10" (and whether the token found it made already). */
function createSummary(last: CreateServerResponse | undefined): string {
  const status = last?.server?.status ?? "done";
  const address = last?.reachability?.address;
  const existed = last?.existing ? " (it existed already: same client token)" : "";
  return `${status}${address ? `, reachable at ${address}` : ""}${existed}`;
}

async function deleteServer(context: CommandContext, flags: DeleteFlags, nameOrId: string): Promise<void> {
  const timeoutSeconds = positiveInt("--timeout", flags.timeout);
  await followProgress(
    context,
    {
      what: `deleting server ${nameOrId}`,
      show: Boolean(flags.wait),
      summary: (all) => all.findLast((event) => event.progress?.message)?.progress?.message || "done",
      interrupted: `Stopped waiting; the cloud goes on deleting server ${nameOrId}.\n`,
    },
    (signal) =>
      context.connection.client(ServerService).deleteServer(
        {
          location: context.location(),
          nameOrId,
          wait: Boolean(flags.wait),
          deleteIps: Boolean(flags.deleteIps),
          ...(timeoutSeconds !== undefined && { timeoutSeconds }),
        },
        { signal },
      ),
  );
}

/** `server watch`: one line per event (table/value), or one JSON document per line (json). */
async function watchServers(context: CommandContext): Promise<void> {
  const interrupt = catchInterrupt();
  try {
    const stream = context.connection
      .client(ServerService)
      .watchServers({ location: context.location() }, { signal: interrupt.signal });
    for await (const event of stream) {
      if (event.type === EventType.BOOKMARK) continue;
      if (context.output.format === "json") {
        process.stdout.write(`${JSON.stringify(jsonOf(WatchServersResponseSchema, event))}\n`);
        continue;
      }
      const s = event.server;
      const type = EventType[event.type] ?? "UNSPECIFIED";
      process.stdout.write(
        `${new Date().toISOString()} ${type}${event.initial ? " (initial)" : ""} ${s?.name ?? ""} ${s?.id ?? ""} ${s?.status ?? ""}\n`,
      );
    }
  } catch (error) {
    // Ctrl-C is how a watch ends.
    if (interrupt.interrupted() && error instanceof ConnectError && error.code === Code.Canceled) return;
    if (!interrupt.interrupted()) throw error;
  } finally {
    interrupt.dispose();
  }
}

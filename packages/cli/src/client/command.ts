import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { type Command, CommanderError, Help, Option } from "commander";
import { CloudService, type Location } from "./api.js";
import { type ClientFlags, type Connection, openConnection } from "./connection.js";
import { ExitCode, reportOf } from "./errors.js";
import { type Listed, OUTPUT_FORMATS, Output, type OutputFlags, type ResourceView } from "./output.js";

/** Everything an API command's action gets. */
export interface CommandContext {
  readonly connection: Connection;
  readonly output: Output;
  /** The request `location` (--cloud/--region or OS_CLOUD/OS_REGION_NAME); `cloud` overrides the cloud. */
  location(cloud?: string): Location;
  /** Messages for people that are not the output (progress, warnings): stderr. */
  readonly stderr: NodeJS.WriteStream;
  /** Ends the command after Ctrl-C stopped a wait (it has said how to resume): exit code 130. */
  interrupted(): never;
}

/** The flags of every API command. */
export type ApiFlags = ClientFlags & OutputFlags & { readonly allClouds?: boolean };

/** Adds the connection and cloud flags (--server, TLS, --cloud, --region) to a command. */
export function withClientOptions(command: Command): Command {
  return command
    .option("--cloud <NAME>", "the cloud of clouds.yaml (default: OS_CLOUD, or the only/default cloud)")
    .option("--region <NAME>", "the region (default: OS_REGION_NAME, or the cloud's first)")
    .option(
      "--server <HOST:PORT>",
      "a running oaktree to use (default: OAKTREE_SERVER; none: run the service in-process)",
    )
    .option("--tls", "use TLS to --server (required when it is not a loopback address)")
    .option("--ca <FILE>", "PEM CA certificate that signed the server's certificate (implies --tls)")
    .option("--cert <FILE>", "PEM client certificate for mutual TLS (with --key)")
    .option("--key <FILE>", "PEM private key of --cert");
}

/** Adds `-f/--format` and `-c/--column` (repeatable). */
export function withOutputOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <FORMAT>", "output format").choices(OUTPUT_FORMATS).default("table"))
    .option("-c, --column <COLUMN>", "show only this column (repeatable)", collect, []);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * A subcommand of `parent` that calls the API: adds the client and output flags, and runs
 * `run` with a connection (in-process or --server) that is closed after. An error is printed
 * as one line on stderr and becomes the exit code (docs/cli.md).
 */
export function apiCommand<A extends unknown[]>(
  parent: Command,
  nameAndArgs: string,
  description: string,
  run: (context: CommandContext, flags: ApiFlags, ...args: A) => Promise<void>,
): Command {
  const command = withOutputOptions(withClientOptions(parent.command(nameAndArgs).description(description)));
  const shared = new Set(command.options.map((option) => option.long));
  // --help lists the command's own flags first, then the shared ones (added before them), then -h.
  command.configureHelp({
    visibleOptions: (cmd) => {
      const options = new Help().visibleOptions(cmd);
      const rank = (o: Option) => (o.long === "--help" ? 2 : shared.has(o.long) ? 1 : 0);
      return options
        .map((o, i) => ({ o, i }))
        .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
        .map(({ o }) => o);
    },
  });
  command.action(async (...params: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const args = params.slice(0, -2) as A;
    const flags = command.opts<ApiFlags>();
    await runApi(flags, (context) => run(context, flags, ...args));
  });
  return command;
}

/** Opens the connection, runs, closes; errors become one stderr line and a CommanderError exit. */
export async function runApi(
  flags: ApiFlags,
  run: (context: CommandContext) => Promise<void>,
): Promise<void> {
  let connection: Connection | undefined;
  try {
    const output = new Output(flags);
    connection = await openConnection(flags);
    const open = connection;
    await run({
      connection: open,
      output,
      location: (cloud) => open.location(cloud),
      stderr: process.stderr,
      interrupted: () => {
        throw new Interrupted();
      },
    });
  } catch (error) {
    if (error instanceof Interrupted) {
      // In-process, the service would go on with the call in this process (and closing its
      // clouds could cancel it): end now, leaving the cloud's work as it is; a rerun with the
      // same client token takes it over. Against --server, the stream's cancel is enough.
      if (connection?.target === "in-process") process.exit(ExitCode.interrupted);
      throw new CommanderError(ExitCode.interrupted, "oaktree.api", "interrupted");
    }
    if (error instanceof AlreadyReported) {
      throw new CommanderError(reportOf(error.error).exitCode, "oaktree.api", "already reported");
    }
    const report = reportOf(error);
    process.stderr.write(`${report.line}\n`);
    throw new CommanderError(report.exitCode, "oaktree.api", report.line);
  } finally {
    await connection?.close();
  }
}

/** Options of {@link listCommand}. */
export interface ListCommandSpec<Desc extends DescMessage> {
  readonly view: ResourceView<Desc>;
  readonly description: string;
  /** One List call at `location`. */
  readonly list: (
    context: CommandContext,
    location: Location,
    flags: ApiFlags,
  ) => Promise<MessageShape<Desc>[]>;
  /** More flags of this list (filters). */
  readonly options?: (command: Command) => Command;
}

/**
 * `<parent> list [--all-clouds]`: one table of `spec.view`'s columns. With --all-clouds the list
 * runs on every cloud the service knows (CloudService.ListClouds), with a CLOUD column; a cloud
 * that fails is reported on stderr and the others are still printed (exit code: the failure's).
 */
export function listCommand<Desc extends DescMessage>(parent: Command, spec: ListCommandSpec<Desc>): Command {
  const command = apiCommand(parent, "list", spec.description, async (context, flags) => {
    if (!flags.allClouds) {
      const items = await spec.list(context, context.location(), flags);
      context.output.list(
        spec.view,
        items.map((item) => ({ item })),
      );
      return;
    }
    const failed = await listAllClouds(context, (location) => spec.list(context, location, flags), spec.view);
    if (failed) throw failed;
  });
  command.option("--all-clouds", "list on every configured cloud (adds a CLOUD column)");
  spec.options?.(command);
  return command;
}

/** Lists on every cloud at once; prints what succeeded; returns the first failure (after reporting each). */
async function listAllClouds<Desc extends DescMessage>(
  context: CommandContext,
  list: (location: Location) => Promise<MessageShape<Desc>[]>,
  view: ResourceView<Desc>,
): Promise<unknown> {
  const { clouds } = await context.connection
    .client(CloudService)
    .listClouds({ location: context.location() });
  const names = [...new Set(clouds.map((c) => c.location?.cloud ?? ""))].filter(Boolean);
  const results = await Promise.allSettled(names.map((cloud) => list(context.location(cloud))));
  const listed: Listed<MessageShape<Desc>>[] = [];
  let failure: unknown;
  results.forEach((result, i) => {
    const cloud = names[i] as string;
    if (result.status === "fulfilled") {
      for (const item of result.value) listed.push({ item, cloud });
    } else {
      failure ??= result.reason;
      context.stderr.write(`cloud ${cloud}: ${reportOf(result.reason).line}\n`);
    }
  });
  context.output.list(view, listed, { withCloud: true });
  return failure === undefined ? undefined : new AlreadyReported(failure);
}

/** An error already printed (by --all-clouds): runApi only turns it into the exit code. */
export class AlreadyReported extends Error {
  constructor(readonly error: unknown) {
    super("already reported");
  }
}

/** Thrown by CommandContext.interrupted(). */
class Interrupted extends Error {}

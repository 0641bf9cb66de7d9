import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Command } from "commander";
import { type ApiFlags, apiCommand, type CommandContext } from "../command.js";
import { UsageError } from "../errors.js";

/** Commander's reducer for a repeatable flag. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A flag's whole number ≥ `min`, or a usage error naming the flag. */
export function wholeNumber(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag}: "${value}" is not a whole number of at least ${min}`);
  return n;
}

/** `--property k=v` (repeatable) as a map; a value without "=" is a usage error naming the flag. */
export function keyValues(flag: string, values: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of values) {
    const at = entry.indexOf("=");
    if (at <= 0) throw new UsageError(`${flag}: "${entry}" is not KEY=VALUE`);
    map[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return map;
}

/** Options of {@link showCommand}. */
export interface ShowSpec<Desc extends DescMessage> {
  /** The argument's name as help shows it: "NETWORK". */
  readonly arg: string;
  readonly description: string;
  readonly schema: Desc;
  /** The Get call; undefined when the response carries nothing. */
  readonly get: (context: CommandContext, nameOrId: string) => Promise<MessageShape<Desc> | undefined>;
}

/** `<parent> show <ARG>`: one resource by name or ID as a Field/Value table (or -f json/yaml/value). */
export function showCommand<Desc extends DescMessage>(parent: Command, spec: ShowSpec<Desc>): Command {
  return apiCommand(
    parent,
    `show <${spec.arg}>`,
    spec.description,
    async (context, _flags, nameOrId: string) => {
      const item = await spec.get(context, nameOrId);
      if (item) context.output.show(spec.schema, item);
    },
  );
}

/**
 * `<parent> delete <ARG>...`: deletes each, as `openstack … delete` does (several names at once);
 * nothing is printed on success. The first failure ends the command with its exit code (a missing
 * name: NOT_FOUND, exit 3), after the ones before it were deleted.
 */
export function deleteCommand(
  parent: Command,
  arg: string,
  description: string,
  remove: (context: CommandContext, nameOrId: string, flags: ApiFlags) => Promise<unknown>,
): Command {
  return apiCommand(parent, `delete <${arg}...>`, description, async (context, flags, names: string[]) => {
    for (const nameOrId of names) await remove(context, nameOrId, flags);
  });
}

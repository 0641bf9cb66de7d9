import {
  type CloudConfig,
  type ConfigError,
  formatCloudConfig,
  listCloudConfigsFromDisk,
  loadCloudConfigFromDisk,
} from "@oaktree/core";
import type { Command } from "commander";
import type { RegisterCommand } from "./index.js";

interface ShowOptions {
  readonly cloud?: string;
  readonly region?: string;
  readonly json?: boolean;
}

interface ListedCloud {
  readonly name: string;
  readonly regions: string[];
  readonly from: string;
  readonly profile?: string;
  readonly error?: string;
}

function whereFrom(config: CloudConfig): string {
  const parts: string[] = [];
  if (config.source.file !== undefined) parts.push(config.source.file);
  if (config.source.secureFile !== undefined) parts.push(`+ ${config.source.secureFile}`);
  if (config.source.fromEnv) parts.push(parts.length > 0 ? "+ OS_* variables" : "OS_* variables");
  return parts.join(" ");
}

async function show(options: ShowOptions): Promise<void> {
  const config = await loadCloudConfigFromDisk({
    ...(options.cloud !== undefined ? { cloud: options.cloud } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  });
  for (const warning of config.warnings ?? []) process.stderr.write(`oaktree: warning: ${warning}\n`);
  process.stdout.write(formatCloudConfig(config, options.json === true ? "json" : "yaml"));
}

async function list(options: { readonly json?: boolean }): Promise<void> {
  const clouds = new Map<string, ListedCloud>();
  const broken: ListedCloud[] = [];
  const configs = await listCloudConfigsFromDisk({
    onError: (error: ConfigError, cloud: string) => {
      broken.push({ name: cloud, regions: [], from: error.file, error: error.message });
    },
  });
  for (const config of configs) {
    const known = clouds.get(config.name);
    if (known !== undefined) {
      if (config.region !== undefined) known.regions.push(config.region);
      continue;
    }
    clouds.set(config.name, {
      name: config.name,
      regions: config.region !== undefined ? [config.region] : [],
      from: whereFrom(config),
      ...(config.profile !== undefined ? { profile: config.profile } : {}),
    });
  }
  // Working clouds first, in file order; the broken ones after them.
  const rows = [...clouds.values(), ...broken];
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write("no clouds configured (see docs/configuration.md)\n");
    return;
  }
  const table = rows.map((row) => [
    row.name,
    row.regions.length > 0 ? row.regions.join(",") : "-",
    row.error !== undefined
      ? `error: ${row.error}`
      : `${row.from}${row.profile ? ` (profile ${row.profile})` : ""}`,
  ]);
  const header = ["CLOUD", "REGIONS", "FROM"];
  const widths = [0, 1].map((i) => Math.max(header[i]?.length ?? 0, ...table.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    `${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell)).join("  ")}\n`;
  process.stdout.write(line(header) + table.map(line).join(""));
}

/** `oaktree config show|list`: the resolved configuration of clouds, secrets masked. */
export const registerConfig: RegisterCommand = (program: Command) => {
  const config = program
    .command("config")
    .description("Show the configured clouds (clouds.yaml, secure.yaml, OS_*)");
  config
    .command("show")
    .description("Print the resolved configuration of a cloud, secrets masked")
    .option("--cloud <name>", "the cloud (default: OS_CLOUD, the OS_* cloud, or the only cloud)")
    .option("--region <name>", "the region (default: OS_REGION_NAME, or the cloud's first region)")
    .option("--json", "print JSON instead of YAML")
    .action(show);
  config
    .command("list")
    .description("List the configured clouds with their regions and where they come from")
    .option("--json", "print JSON")
    .action(list);
};

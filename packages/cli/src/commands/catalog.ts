import {
  type CloudConfig,
  connect,
  type DiscoveredService,
  loadCloudConfigFromDisk,
  type TokenInfo,
} from "@oaktree/core";
import type { Command } from "commander";
import type { RegisterCommand } from "./index.js";

/** What `oaktree catalog` learns about one cloud and region. */
export interface CloudCatalog {
  readonly cloud: string;
  readonly region?: string;
  readonly identity: { readonly endpoint: string; readonly version: string };
  readonly project?: { readonly id?: string; readonly name?: string; readonly domain?: string };
  readonly user?: { readonly id?: string; readonly name?: string };
  readonly roles: readonly string[];
  readonly expiresAt?: string;
  readonly services: readonly DiscoveredService[];
}

/** Authenticates to a cloud and discovers every service of its catalog. */
export async function discoverCloud(config: CloudConfig): Promise<CloudCatalog> {
  const conn = await connect(config);
  try {
    const token: TokenInfo = await conn.token();
    const services = await conn.services();
    services.sort((a, b) => a.serviceType.localeCompare(b.serviceType));
    const domain = token.project?.domainName ?? token.project?.domainId;
    return {
      cloud: config.name,
      ...(config.region !== undefined && { region: config.region }),
      identity: { endpoint: token.identityEndpoint, version: token.identityVersion },
      ...(token.project && {
        project: {
          ...(token.project.id !== undefined && { id: token.project.id }),
          ...(token.project.name !== undefined && { name: token.project.name }),
          ...(domain !== undefined && { domain }),
        },
      }),
      user: {
        ...(token.user.id !== undefined && { id: token.user.id }),
        ...(token.user.name !== undefined && { name: token.user.name }),
      },
      roles: token.roles,
      ...(token.expiresAt && { expiresAt: token.expiresAt.toISOString() }),
      services,
    };
  } finally {
    await conn.close();
  }
}

/** The human form: a header line about the token, then one row per service. */
export function formatCatalog(catalog: CloudCatalog): string {
  const who = [
    catalog.user?.name ?? catalog.user?.id,
    catalog.project ? `project ${catalog.project.name ?? catalog.project.id}` : "unscoped",
    catalog.project?.domain ? `(domain ${catalog.project.domain})` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const header =
    `cloud ${catalog.cloud}${catalog.region ? ` region ${catalog.region}` : ""}: ${who}, ` +
    `roles ${catalog.roles.join(",") || "-"}, keystone v${catalog.identity.version} at ${catalog.identity.endpoint}` +
    (catalog.expiresAt ? `, token expires ${catalog.expiresAt}` : "");
  const rows = catalog.services.map((s) => [
    s.serviceType,
    s.catalogType ?? (s.override ? "(override)" : "-"),
    s.version ?? "-",
    microversionCell(s),
    s.error !== undefined
      ? `error: ${s.error}`
      : `${s.endpoint ?? "-"}${s.source === "catalog" ? "  (no version document: catalog URL as is)" : ""}`,
  ]);
  return `${header}\n${table(["SERVICE", "CATALOG TYPE", "VERSION", "MICROVERSIONS", "ENDPOINT"], rows)}`;
}

function microversionCell(s: DiscoveredService): string {
  if (s.microversions) {
    const capped =
      s.serverMicroversions && s.serverMicroversions.max !== s.microversions.max
        ? ` (cloud up to ${s.serverMicroversions.max})`
        : "";
    return `${s.microversions.min}-${s.microversions.max}${capped}`;
  }
  if (s.serverMicroversions) return `${s.serverMicroversions.min}-${s.serverMicroversions.max} (unused)`;
  return "-";
}

/** Left-aligned columns; the last one is not padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

interface CatalogOptions {
  readonly cloud?: string;
  readonly region?: string;
  readonly json?: boolean;
}

async function catalogCommand(options: CatalogOptions): Promise<void> {
  const config = await loadCloudConfigFromDisk({
    ...(options.cloud !== undefined && { cloud: options.cloud }),
    ...(options.region !== undefined && { region: options.region }),
  });
  for (const warning of config.warnings ?? []) process.stderr.write(`oaktree: warning: ${warning}\n`);
  const catalog = await discoverCloud(config);
  process.stdout.write(options.json ? `${JSON.stringify(catalog, null, 2)}\n` : formatCatalog(catalog));
}

/** `oaktree catalog`: authenticate and print each service with its endpoint, version and microversions. */
export const registerCatalog: RegisterCommand = (program: Command) => {
  program
    .command("catalog")
    .description("Authenticate to a cloud and print its services: endpoint, API version, microversion range")
    .option("--cloud <name>", "the cloud (default: OS_CLOUD, the OS_* cloud, or the only cloud)")
    .option("--region <name>", "the region (default: OS_REGION_NAME, or the cloud's first region)")
    .option("--json", "print JSON")
    .action(catalogCommand);
};

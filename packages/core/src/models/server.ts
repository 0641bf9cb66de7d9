import type { AddressWire, ServerWire } from "../services/compute/v2/servers/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { readingWire } from "./malformed.js";
import { definedOnly, restOf, str } from "./model-helpers.js";
import { type ServerAddress, serverIps } from "./server-addresses.js";

export type { ServerAddress } from "./server-addresses.js";

/** Nova's power states by name (`OS-EXT-STS:power_state` numbers). */
export type PowerState = "NOSTATE" | "RUNNING" | "PAUSED" | "SHUTDOWN" | "CRASHED" | "SUSPENDED";

const POWER_STATES: Readonly<Record<number, PowerState>> = {
  0: "NOSTATE",
  1: "RUNNING",
  3: "PAUSED",
  4: "SHUTDOWN",
  6: "CRASHED",
  7: "SUSPENDED",
};

/** The flavor a server runs with: a reference (before 2.47) or its copy (2.47 and later). */
export interface ServerFlavor {
  /** Before compute 2.47 only. */
  readonly id?: string;
  /** The flavor's name when booted (2.47 `original_name`). */
  readonly name?: string;
  readonly vcpus?: number;
  /** MiB */
  readonly ram?: number;
  /** GiB */
  readonly disk?: number;
  readonly ephemeral?: number;
  readonly swap?: number;
  readonly extraSpecs?: Readonly<Record<string, string>>;
}

/** Why a server is in ERROR. */
export interface ServerFault {
  readonly code: number;
  readonly message: string;
  readonly created?: string;
  readonly details?: string;
}

/** A server, in one shape whatever the microversion or vendor. */
export interface Server {
  /** zone = the server's availability zone. */
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  /** ACTIVE, BUILD, ERROR, SHUTOFF, DELETED (changes-since), UNKNOWN (down cell), ... */
  readonly status: string;
  readonly powerState: PowerState;
  readonly taskState?: string;
  readonly vmState?: string;
  readonly flavor: ServerFlavor;
  /** Absent for a server booted from a volume. */
  readonly image?: { readonly id: string; readonly properties?: Readonly<Record<string, string>> };
  readonly addresses: readonly ServerAddress[];
  readonly publicV4?: string;
  readonly privateV4?: string;
  readonly publicV6?: string;
  /** The address to reach the server on (see models/server-addresses.ts). */
  readonly interfaceIp?: string;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
  readonly keyName?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Security group names. */
  readonly securityGroups: readonly string[];
  /** Ids of attached volumes. */
  readonly volumes: readonly string[];
  readonly hostId?: string;
  readonly configDrive: boolean;
  readonly userId?: string;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly launchedAt?: string;
  readonly fault?: ServerFault;
  readonly locked: boolean;
  /** Every OS-EXT-* key and every key this model does not name, as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Keys the model reads into fields; every other key (OS-EXT-* included) goes to properties. */
const CONSUMED = new Set([
  "id",
  "name",
  "status",
  "tenant_id",
  "user_id",
  "hostId",
  "created",
  "updated",
  "addresses",
  "accessIPv4",
  "accessIPv6",
  "flavor",
  "image",
  "key_name",
  "metadata",
  "security_groups",
  "config_drive",
  "links",
  "fault",
  "locked",
  "description",
  "tags",
  "os-extended-volumes:volumes_attached",
  "OS-SRV-USG:launched_at",
]);

/** Flattens nova's `addresses` (a server's, or GET /servers/{id}/ips's) into a list. */
export function normalizeAddresses(addresses: ServerWire["addresses"]): ServerAddress[] {
  const list: ServerAddress[] = [];
  for (const [network, entries] of Object.entries(addresses ?? {})) {
    for (const entry of entries as readonly AddressWire[]) {
      const mac = entry["OS-EXT-IPS-MAC:mac_addr"];
      list.push({
        network,
        address: entry.addr,
        version: Number(entry.version) === 6 ? 6 : 4,
        type: entry["OS-EXT-IPS:type"] === "floating" ? "floating" : "fixed",
        ...(mac ? { mac } : {}),
      });
    }
  }
  return list;
}

function flavorOf(flavor: ServerWire["flavor"]): ServerFlavor {
  if (!flavor) return {};
  const numbers = ["vcpus", "ram", "disk", "ephemeral", "swap"] as const;
  const out: Record<string, unknown> = {};
  if (flavor.id !== undefined) out.id = String(flavor.id);
  if (flavor.original_name !== undefined) out.name = flavor.original_name;
  for (const key of numbers) {
    const value = flavor[key] as unknown;
    // NOTE: nova may send swap as "" for none.
    if (value !== undefined && value !== null) out[key] = value === "" ? 0 : Number(value);
  }
  if (flavor.extra_specs !== undefined) out.extraSpecs = { ...flavor.extra_specs };
  return out as ServerFlavor;
}

function configDriveOf(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  // NOTE: nova sends "True" (or "1"/"true" on some versions) and "" for none.
  return typeof value === "string" && ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

/** Normalizes a server of any microversion (partial down-cell entries included). */
export const normalizeServer: (wire: ServerWire, ctx: NormalizeContext) => Server = readingWire(
  "server",
  readServer,
);

function readServer(wire: ServerWire, ctx: NormalizeContext): Server {
  const addresses = normalizeAddresses(wire.addresses);
  const accessIPv4 = str(wire.accessIPv4);
  const accessIPv6 = str(wire.accessIPv6);
  const ips = serverIps(addresses, { accessIPv4, accessIPv6 }, ctx.externalNetworks);
  const image = wire.image && typeof wire.image === "object" && wire.image.id ? wire.image : undefined;
  const powerNumber = wire["OS-EXT-STS:power_state"];
  const fault = wire.fault;
  const properties = restOf(wire, CONSUMED);
  const optional = {
    taskState: str(wire["OS-EXT-STS:task_state"]),
    vmState: str(wire["OS-EXT-STS:vm_state"]),
    accessIPv4,
    accessIPv6,
    keyName: str(wire.key_name),
    hostId: str(wire.hostId),
    userId: str(wire.user_id),
    description: str(wire.description),
    createdAt: isoTime(wire.created),
    updatedAt: isoTime(wire.updated),
    launchedAt: isoTime(wire["OS-SRV-USG:launched_at"]),
  };
  return {
    location: locationOf(ctx, wire.tenant_id, str(wire["OS-EXT-AZ:availability_zone"])),
    id: wire.id,
    name: wire.name ?? "",
    status: wire.status ?? "UNKNOWN",
    powerState: (typeof powerNumber === "number" && POWER_STATES[powerNumber]) || "NOSTATE",
    ...definedOnly(optional),
    flavor: flavorOf(wire.flavor),
    ...(image && {
      image: { id: image.id, ...(image.properties && { properties: { ...image.properties } }) },
    }),
    addresses,
    ...ips,
    metadata: { ...(wire.metadata ?? {}) },
    securityGroups: [...new Set((wire.security_groups ?? []).map((group) => group.name))],
    volumes: (wire["os-extended-volumes:volumes_attached"] ?? []).map((volume) => volume.id),
    configDrive: configDriveOf(wire.config_drive),
    tags: [...(wire.tags ?? [])],
    ...(fault && {
      fault: {
        code: fault.code,
        message: fault.message,
        ...(isoTime(fault.created) && { created: isoTime(fault.created) }),
        ...(fault.details !== undefined && { details: fault.details }),
      },
    }),
    locked: wire.locked === true,
    properties,
  } as Server;
}

import { ValidationError } from "../../../../errors.js";
import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { Query, ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { compareMicroversions, requireMicroversion, supportsMicroversion } from "../../../microversion.js";
import {
  compact,
  type QueryNames,
  queryOf,
  requireId,
  requirePositiveInteger,
  requireTime,
} from "../../../query.js";
import { serverPath, serversDetailPath, serversPath } from "./urls.js";
import type {
  BlockDeviceMappingWire,
  NetworkRequestWire,
  ServerCreatedWire,
  ServerCreateRequestWire,
  ServerCreateWire,
  ServerSummaryWire,
  ServerWire,
} from "./wire.js";

/** Filters and paging of GET /servers and /servers/detail. */
export interface ListServersOptions {
  /**
   * Servers changed at or after this time, deleted ones included (status "DELETED"): the
   * basis of incremental polling.
   */
  readonly changesSince?: string | Date;
  /** Servers changed before this time; needs microversion 2.66. */
  readonly changesBefore?: string | Date;
  /** A regular expression on the name (nova matches it as a pattern, not exactly). */
  readonly name?: string;
  readonly status?: string;
  /** Admins: servers of every project. */
  readonly allTenants?: boolean;
  /** Admins with allTenants: one project's servers. */
  readonly projectId?: string;
  readonly userId?: string;
  readonly image?: string;
  readonly flavor?: string;
  readonly ip?: string;
  readonly ip6?: string;
  readonly availabilityZone?: string;
  readonly host?: string;
  /** Servers with every one of these tags (comma-joined by the binding); 2.26. */
  readonly tags?: readonly string[];
  readonly tagsAny?: readonly string[];
  readonly notTags?: readonly string[];
  readonly notTagsAny?: readonly string[];
  readonly locked?: boolean;
  readonly sortKey?: string;
  readonly sortDir?: "asc" | "desc";
  /** Page size; nova also caps pages at its own `max_limit` and sends `servers_links`. */
  readonly limit?: number;
  readonly marker?: string;
}

/** The one table of query names of servers. */
const LIST_QUERY: QueryNames<ListServersOptions> = {
  changesSince: "changes-since",
  changesBefore: "changes-before",
  name: "name",
  status: "status",
  allTenants: "all_tenants",
  projectId: "project_id",
  userId: "user_id",
  image: "image",
  flavor: "flavor",
  ip: "ip",
  ip6: "ip6",
  availabilityZone: "availability_zone",
  host: "host",
  // NOTE: nova takes tag filters comma-joined (`tags=a,b`), not as repeated keys.
  tags: { name: "tags", join: "," },
  tagsAny: { name: "tags-any", join: "," },
  notTags: { name: "not-tags", join: "," },
  notTagsAny: { name: "not-tags-any", join: "," },
  locked: "locked",
  sortKey: "sort_key",
  sortDir: "sort_dir",
  limit: "limit",
  marker: "marker",
};

function listQuery(client: ServiceClient, options: ListServersOptions): Query {
  requirePositiveInteger("limit", options.limit);
  requireTime("changesSince", options.changesSince);
  requireTime("changesBefore", options.changesBefore);
  if (options.changesBefore !== undefined) requireMicroversion(client, "2.66", "changesBefore");
  if (options.locked !== undefined) requireMicroversion(client, "2.73", "the locked filter");
  const tagged = [options.tags, options.tagsAny, options.notTags, options.notTagsAny];
  if (tagged.some((t) => t !== undefined)) requireMicroversion(client, "2.26", "tag filters");
  return queryOf(options, LIST_QUERY);
}

/** GET /servers: ids and names, page after page (`servers_links`). */
export function listServers(
  client: ServiceClient,
  options: ListServersOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ServerSummaryWire, void, undefined> {
  const query = listQuery(client, options);
  return paginate<ServerSummaryWire>(
    client,
    { method: "GET", path: serversPath(), query, okStatus: [200], ...callFields(call) },
    linksStrategy("servers"),
  );
}

/** GET /servers/detail: full servers, page after page (`servers_links`). */
export function listServersDetail(
  client: ServiceClient,
  options: ListServersOptions = {},
  call: CallOptions = {},
): AsyncGenerator<ServerWire, void, undefined> {
  const query = listQuery(client, options);
  return paginate<ServerWire>(
    client,
    { method: "GET", path: serversDetailPath(), query, okStatus: [200], ...callFields(call) },
    linksStrategy("servers"),
  );
}

/** GET /servers/{id}. */
export async function getServer(
  client: ServiceClient,
  id: string,
  call: CallOptions = {},
): Promise<ServerWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: serverPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ server: ServerWire }>().server;
}

/** A network of a new server: an existing network, port or fixed IP. */
export interface ServerNetworkRequest {
  /** Network id. */
  readonly uuid?: string;
  /** Port id (then uuid and fixedIp are taken from the port). */
  readonly port?: string;
  readonly fixedIp?: string;
  /** Device tag; microversion 2.42. */
  readonly tag?: string;
}

/** A block device of a new server (boot from volume, extra volumes, ephemeral disks). */
export interface BlockDeviceMapping {
  /** 0 for the boot disk; null/undefined for other disks. */
  readonly bootIndex?: number | null;
  /** Id of the image, volume or snapshot named by sourceType. */
  readonly uuid?: string;
  readonly sourceType: "image" | "volume" | "snapshot" | "blank";
  readonly destinationType?: "volume" | "local";
  /** GiB of a new volume. */
  readonly volumeSize?: number;
  readonly deleteOnTermination?: boolean;
  readonly deviceName?: string;
  readonly deviceType?: string;
  readonly diskBus?: string;
  readonly guestFormat?: string;
  /** Device tag; microversion 2.42. */
  readonly tag?: string;
  /** Volume type of a new volume; microversion 2.67. */
  readonly volumeType?: string;
}

/** Everything POST /servers can take that oaktree uses. */
export interface CreateServerOptions {
  readonly name: string;
  /** Image id; omit when booting from a volume. */
  readonly imageRef?: string;
  readonly flavorRef: string;
  /**
   * "auto" (get me a network) and "none" need microversion 2.37, from which on the field is
   * required; a list picks networks, ports or fixed IPs.
   */
  readonly networks?: "auto" | "none" | readonly ServerNetworkRequest[];
  readonly blockDeviceMappings?: readonly BlockDeviceMapping[];
  readonly keyName?: string;
  /** Security group names (nova also takes ids on neutron clouds). */
  readonly securityGroups?: readonly string[];
  /** Base64 text: the binding sends it as is (the porcelain encodes). */
  readonly userData?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly configDrive?: boolean;
  readonly availabilityZone?: string;
  /** Sent as the top-level `os:scheduler_hints` (e.g. `{ group: serverGroupId }`). */
  readonly schedulerHints?: Readonly<Record<string, string | readonly string[]>>;
  readonly minCount?: number;
  readonly maxCount?: number;
  readonly adminPass?: string;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
  /** Microversion 2.19. */
  readonly description?: string;
  /** Microversion 2.52. */
  readonly tags?: readonly string[];
  /** Microversion 2.90. */
  readonly hostname?: string;
}

/**
 * Device tags on networks and block devices.
 * NOTE: nova accepted them in 2.32, dropped them in 2.33-2.41 by a bug, and restored them in 2.42.
 */
function requireDeviceTag(client: ServiceClient, what: string): void {
  if (client.microversion !== undefined && compareMicroversions(client.microversion, "2.32") === 0) return;
  requireMicroversion(client, "2.42", what);
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function networksWire(client: ServiceClient, networks: CreateServerOptions["networks"]) {
  if (networks === undefined) {
    // NOTE: compute 2.37 made `networks` required; say so before nova answers 400.
    if (supportsMicroversion(client, "2.37")) {
      throw new ValidationError(
        "networks",
        'is required from compute microversion 2.37 on ("auto", "none" or a list)',
      );
    }
    return undefined;
  }
  if (networks === "auto" || networks === "none") {
    requireMicroversion(client, "2.37", `networks "${networks}"`);
    return networks;
  }
  if (!Array.isArray(networks)) throw new ValidationError("networks", 'must be "auto", "none" or a list');
  return networks.map((net: ServerNetworkRequest, i): NetworkRequestWire => {
    if (!net.uuid && !net.port) throw new ValidationError(`networks[${i}]`, "needs a uuid or a port");
    if (net.tag !== undefined) requireDeviceTag(client, `networks[${i}].tag`);
    return {
      ...(net.uuid !== undefined && { uuid: net.uuid }),
      ...(net.port !== undefined && { port: net.port }),
      ...(net.fixedIp !== undefined && { fixed_ip: net.fixedIp }),
      ...(net.tag !== undefined && { tag: net.tag }),
    };
  });
}

function bdmWire(client: ServiceClient, bdm: BlockDeviceMapping, i: number): BlockDeviceMappingWire {
  const field = `blockDeviceMappings[${i}]`;
  if (bdm.sourceType !== "blank" && !bdm.uuid)
    throw new ValidationError(`${field}.uuid`, `is required for a ${bdm.sourceType}`);
  if (bdm.volumeSize !== undefined) requirePositiveInteger(`${field}.volumeSize`, bdm.volumeSize);
  if (bdm.tag !== undefined) requireDeviceTag(client, `${field}.tag`);
  if (bdm.volumeType !== undefined) requireMicroversion(client, "2.67", `${field}.volumeType`);
  return compact<BlockDeviceMappingWire>({
    boot_index: bdm.bootIndex,
    uuid: bdm.uuid,
    source_type: bdm.sourceType,
    destination_type: bdm.destinationType,
    volume_size: bdm.volumeSize,
    delete_on_termination: bdm.deleteOnTermination,
    device_name: bdm.deviceName,
    device_type: bdm.deviceType,
    disk_bus: bdm.diskBus,
    guest_format: bdm.guestFormat,
    tag: bdm.tag,
    volume_type: bdm.volumeType,
  });
}

/** Builds the body of POST /servers, validating and gating every field before any I/O. */
export function createServerBody(
  client: ServiceClient,
  options: CreateServerOptions,
): ServerCreateRequestWire {
  requireId("name", options.name);
  requireId("flavorRef", options.flavorRef);
  if (options.imageRef === undefined && !options.blockDeviceMappings?.some((b) => b.bootIndex === 0)) {
    throw new ValidationError("imageRef", "is required unless a block device mapping has bootIndex 0");
  }
  if (options.userData !== undefined && !BASE64.test(options.userData)) {
    throw new ValidationError("userData", "must be base64 text (the porcelain encodes it)");
  }
  // NOTE: nova refuses user_data over 65535 characters of base64 (about 48 KiB decoded).
  if (options.userData !== undefined && options.userData.length > 65535) {
    throw new ValidationError(
      "userData",
      `is ${options.userData.length} base64 characters; nova takes at most 65535`,
    );
  }
  requirePositiveInteger("minCount", options.minCount);
  requirePositiveInteger("maxCount", options.maxCount);
  if (
    options.minCount !== undefined &&
    options.maxCount !== undefined &&
    options.minCount > options.maxCount
  ) {
    throw new ValidationError("minCount", "must not exceed maxCount");
  }
  if (options.description !== undefined) requireMicroversion(client, "2.19", "description");
  if (options.tags !== undefined) requireMicroversion(client, "2.52", "tags");
  if (options.hostname !== undefined) requireMicroversion(client, "2.90", "hostname");
  const networks = networksWire(client, options.networks);
  const server = compact<ServerCreateWire>({
    name: options.name,
    imageRef: options.imageRef,
    flavorRef: options.flavorRef,
    networks,
    block_device_mapping_v2: options.blockDeviceMappings?.map((b, i) => bdmWire(client, b, i)),
    key_name: options.keyName,
    security_groups: options.securityGroups?.map((name) => ({ name })),
    user_data: options.userData,
    metadata: options.metadata,
    config_drive: options.configDrive,
    availability_zone: options.availabilityZone,
    min_count: options.minCount,
    max_count: options.maxCount,
    adminPass: options.adminPass,
    accessIPv4: options.accessIPv4,
    accessIPv6: options.accessIPv6,
    description: options.description,
    tags: options.tags,
    hostname: options.hostname,
  });
  // NOTE: nova reads scheduler hints beside "server", not inside it.
  return {
    server,
    ...(options.schedulerHints !== undefined && { "os:scheduler_hints": options.schedulerHints }),
  };
}

/** POST /servers (202): the new server's id, links and admin password. */
export async function createServer(
  client: ServiceClient,
  options: CreateServerOptions,
  call: CallOptions = {},
): Promise<ServerCreatedWire> {
  const json = createServerBody(client, options);
  const response = await client.request({
    method: "POST",
    path: serversPath(),
    json,
    okStatus: [202],
    ...callFields(call),
  });
  return response.json<{ server: ServerCreatedWire }>().server;
}

/** What PUT /servers/{id} can change. */
export interface UpdateServerOptions {
  readonly name?: string;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
  /** Microversion 2.19. */
  readonly description?: string | null;
  /** Microversion 2.90. */
  readonly hostname?: string;
}

/** PUT /servers/{id}: the updated server. */
export async function updateServer(
  client: ServiceClient,
  id: string,
  options: UpdateServerOptions,
  call: CallOptions = {},
): Promise<ServerWire> {
  requireId("id", id);
  if (options.name !== undefined) requireId("name", options.name);
  if (options.description !== undefined) requireMicroversion(client, "2.19", "description");
  if (options.hostname !== undefined) requireMicroversion(client, "2.90", "hostname");
  const server = compact(options);
  if (Object.keys(server).length === 0) throw new ValidationError("options", "nothing to update");
  const response = await client.request({
    method: "PUT",
    path: serverPath(id),
    json: { server },
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ server: ServerWire }>().server;
}

/** DELETE /servers/{id} (204); the server goes away asynchronously. */
export async function deleteServer(client: ServiceClient, id: string, call: CallOptions = {}): Promise<void> {
  requireId("id", id);
  await client.request({ method: "DELETE", path: serverPath(id), okStatus: [204], ...callFields(call) });
}

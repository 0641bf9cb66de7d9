import { atLeast } from "../../core/microversion.js";
import type { FlavorRecord, ServerRecord } from "../../core/records.js";
import type { SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";

/** Reservation ids of servers created by one request (`OS-EXT-SRV-ATTR:reservation_id`). */
export function reservationsOf(world: World): Map<string, string> {
  return world.state("compute:reservations", () => new Map<string, string>());
}

/** Context a view needs: the simulator, the negotiated microversion and whether the caller is admin. */
export interface ViewContext {
  readonly sim: SimState;
  readonly mv: string;
  readonly admin: boolean;
}

function computeUrl(sim: SimState): string {
  return `${sim.baseUrl}/compute`;
}

/** `links` of a server, flavor or image (self + bookmark). */
export function links(sim: SimState, kind: string, id: string, projectId: string, self = true) {
  const base = computeUrl(sim);
  const out = [{ href: `${base}/${projectId}/${kind}/${id}`, rel: "bookmark" }];
  if (self) out.unshift({ href: `${base}/v2.1/${projectId}/${kind}/${id}`, rel: "self" });
  return out;
}

/** A server's `addresses`: fixed IPs of its ports by network name, plus floating IPs on those ports. */
export function addressesOf(sim: SimState, serverId: string): Record<string, unknown[]> {
  const world = sim.world;
  const out: Record<string, unknown[]> = {};
  for (const port of world.portsOfDevice(serverId)) {
    const net = world.networks.get(port.network_id);
    const name = net?.name ?? port.network_id;
    let list = out[name];
    if (!list) {
      list = [];
      out[name] = list;
    }
    for (const f of port.fixed_ips) {
      list.push({
        "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
        version: f.ip_address.includes(":") ? 6 : 4,
        addr: f.ip_address,
        "OS-EXT-IPS:type": "fixed",
      });
    }
    if (!world.floatingIpsInAddresses) continue;
    for (const fip of world.floatingIps.all()) {
      if (fip.port_id !== port.id) continue;
      // NOTE: nova learns of an association from neutron, so it lags as neutron's reads do.
      if (fip.assoc_visible_at !== undefined && fip.assoc_visible_at > world.clock.now()) continue;
      list.push({
        "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
        version: 4,
        addr: fip.floating_ip_address,
        "OS-EXT-IPS:type": "floating",
      });
    }
  }
  return out;
}

/** The flavor as embedded in a server: a link before 2.47, the flavor's fields from 2.47. */
function serverFlavor(v: ViewContext, s: ServerRecord) {
  const f = v.sim.world.flavors.get(s.flavor_id);
  if (!atLeast(v.mv, "2.47"))
    return { id: s.flavor_id, links: links(v.sim, "flavors", s.flavor_id, s.project_id, false) };
  return {
    vcpus: f?.vcpus ?? 0,
    ram: f?.ram ?? 0,
    disk: f?.disk ?? 0,
    ephemeral: f?.ephemeral ?? 0,
    swap: f?.swap ?? 0,
    original_name: f?.name ?? "",
    // NOTE: nova 2.47+ shows extra_specs only to callers allowed to see them (admin by default policy... and owners since Ussuri).
    extra_specs: { ...f?.extra_specs },
  };
}

/** The `{"id", "links", "name"}` entry of `GET /servers`. */
export function serverSummary(v: ViewContext, s: ServerRecord) {
  return { id: s.id, links: links(v.sim, "servers", s.id, s.project_id), name: s.name };
}

/** A server as nova shows it at the negotiated microversion (`inList`: as an item of GET /servers/detail). */
export function serverView(v: ViewContext, s: ServerRecord, inList = false): Record<string, unknown> {
  const { sim, mv } = v;
  const clock = sim.world.clock;
  const iso = (ms: number) => clock.isoSeconds(ms);
  const usg = (ms: number | null) =>
    ms === null ? null : new Date(ms).toISOString().replace("Z", "000").replace(/Z$/, "");
  const out: Record<string, unknown> = {
    accessIPv4: s.access_ipv4,
    accessIPv6: s.access_ipv6,
    addresses: addressesOf(sim, s.id),
    created: iso(s.created),
    flavor: serverFlavor(v, s),
    hostId: s.host_id,
    id: s.id,
    image:
      s.image_id === ""
        ? ""
        : { id: s.image_id, links: links(sim, "images", s.image_id, s.project_id, false) },
    key_name: s.key_name,
    links: links(sim, "servers", s.id, s.project_id),
    metadata: { ...s.metadata },
    name: s.name,
    config_drive: s.config_drive,
    "OS-DCF:diskConfig": "MANUAL",
    "OS-EXT-AZ:availability_zone":
      s.status === "BUILD" && s.task_state === "scheduling" ? "" : s.availability_zone,
    "OS-EXT-STS:power_state": s.power_state,
    "OS-EXT-STS:task_state": s.task_state,
    "OS-EXT-STS:vm_state": s.vm_state,
    "os-extended-volumes:volumes_attached": sim.world.volumes
      .ofProject(s.project_id)
      .filter((vol) => vol.attachments.some((a) => a.server_id === s.id))
      .map((vol) =>
        atLeast(mv, "2.3") ? { id: vol.id, delete_on_termination: bdmDelete(s, vol.id) } : { id: vol.id },
      ),
    "OS-SRV-USG:launched_at": usg(s.launched_at),
    "OS-SRV-USG:terminated_at": usg(s.terminated_at),
    progress: s.progress,
    status: s.status,
    tenant_id: s.project_id,
    updated: iso(s.updated),
    user_id: s.user_id,
  };
  if (s.status !== "BUILD" || s.security_groups.length > 0) {
    out.security_groups = s.security_groups.map((name) => ({ name }));
  }
  if (v.admin) {
    out["OS-EXT-SRV-ATTR:host"] = s.status === "BUILD" ? null : "sim-compute";
    out["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.status === "BUILD" ? null : s.hypervisor_hostname;
    out["OS-EXT-SRV-ATTR:instance_name"] = s.instance_name;
    if (atLeast(mv, "2.3")) {
      out["OS-EXT-SRV-ATTR:reservation_id"] = reservationsOf(sim.world).get(s.id) ?? `r-${s.id.slice(0, 8)}`;
      out["OS-EXT-SRV-ATTR:launch_index"] = 0;
      out["OS-EXT-SRV-ATTR:hostname"] = s.hostname;
      out["OS-EXT-SRV-ATTR:kernel_id"] = "";
      out["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
      out["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda";
      out["OS-EXT-SRV-ATTR:user_data"] = s.user_data;
    }
    if (atLeast(mv, "2.16")) out.host_status = s.status === "BUILD" ? "" : "UP";
  } else if (atLeast(mv, "2.90")) {
    out["OS-EXT-SRV-ATTR:hostname"] = s.hostname;
  }
  if (atLeast(mv, "2.9")) out.locked = s.locked;
  if (atLeast(mv, "2.19")) out.description = s.description;
  if (atLeast(mv, "2.26")) out.tags = [...s.tags];
  if (atLeast(mv, "2.63")) out.trusted_image_certificates = null;
  // NOTE: 2.71 added server_groups to show, update and rebuild answers, not to GET /servers/detail.
  if (atLeast(mv, "2.71") && !inList) out.server_groups = s.server_group_id ? [s.server_group_id] : [];
  if (atLeast(mv, "2.73")) out.locked_reason = null;
  if (s.fault && (s.status === "ERROR" || s.status === "DELETED")) {
    out.fault = {
      code: s.fault.code,
      created: iso(s.fault.created),
      message: s.fault.message,
      ...(v.admin ? { details: s.fault.details } : {}),
    };
  }
  return out;
}

/** Keys nova's PUT /servers/{id} and rebuild answers leave out before 2.75 (all but the base view). */
const HIDDEN_BEFORE_2_75 = [
  "config_drive",
  "host_status",
  "key_name",
  "OS-EXT-AZ:availability_zone",
  "os-extended-volumes:volumes_attached",
  "security_groups",
];
const HIDDEN_PREFIXES_BEFORE_2_75 = ["OS-EXT-SRV-ATTR:", "OS-EXT-STS:", "OS-SRV-USG:"];

/**
 * A server as nova's update (PUT) and rebuild answer it: from 2.75 the full view; before, only the base
 * view (no extended attributes, and addresses without their `OS-EXT-IPS*` keys).
 */
export function updatedServerView(v: ViewContext, s: ServerRecord): Record<string, unknown> {
  const out = serverView(v, s);
  if (atLeast(v.mv, "2.75")) return out;
  for (const key of Object.keys(out)) {
    if (HIDDEN_BEFORE_2_75.includes(key) || HIDDEN_PREFIXES_BEFORE_2_75.some((p) => key.startsWith(p)))
      delete out[key];
  }
  out.addresses = basicAddresses(out.addresses as Record<string, unknown[]>);
  return out;
}

/** Addresses without nova's `OS-EXT-IPS:type` and `OS-EXT-IPS-MAC:mac_addr` (the ips API's view). */
export function basicAddresses(addresses: Record<string, unknown[]>): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(addresses).map(([net, list]) => [
      net,
      list.map((a) => {
        const { addr, version } = a as { addr: string; version: number };
        return { addr, version };
      }),
    ]),
  );
}

function bdmDelete(s: ServerRecord, volumeId: string): boolean {
  return s.block_devices.find((b) => b.volume_id === volumeId)?.delete_on_termination ?? false;
}

/** A flavor as nova shows it at the negotiated microversion. */
export function flavorView(v: ViewContext, f: FlavorRecord, detail = true): Record<string, unknown> {
  const linksOf = [
    { href: `${computeUrl(v.sim)}/v2.1/flavors/${f.id}`, rel: "self" },
    { href: `${computeUrl(v.sim)}/flavors/${f.id}`, rel: "bookmark" },
  ];
  if (!detail) {
    return {
      id: f.id,
      links: linksOf,
      name: f.name,
      ...(atLeast(v.mv, "2.55") ? { description: f.description } : {}),
    };
  }
  return {
    "OS-FLV-DISABLED:disabled": false,
    disk: f.disk,
    "OS-FLV-EXT-DATA:ephemeral": f.ephemeral,
    "os-flavor-access:is_public": f.is_public,
    id: f.id,
    links: linksOf,
    name: f.name,
    ram: f.ram,
    // NOTE: nova before 2.75 shows swap 0 as "" (empty string).
    swap: f.swap === 0 && !atLeast(v.mv, "2.75") ? "" : f.swap,
    vcpus: f.vcpus,
    rxtx_factor: f.rxtx_factor,
    ...(atLeast(v.mv, "2.55") ? { description: f.description } : {}),
    ...(atLeast(v.mv, "2.61") ? { extra_specs: { ...f.extra_specs } } : {}),
  };
}

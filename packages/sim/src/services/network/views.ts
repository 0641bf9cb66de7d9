import type {
  FloatingIpRecord,
  NetworkRecord,
  PortRecord,
  RouterRecord,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  SubnetRecord,
} from "../../core/records.js";
import type { World } from "../../core/world.js";

/** neutron's timestamps: seconds precision with `Z`. */
function ts(world: World, ms: number): string {
  return world.clock.isoSeconds(ms);
}

function owner(p: string) {
  return { project_id: p, tenant_id: p };
}

/** A network as neutron shows it (`admin`: the caller is an admin, who alone sees provider attributes). */
export function networkView(world: World, n: NetworkRecord, admin: boolean) {
  const view = {
    admin_state_up: n.admin_state_up,
    availability_zone_hints: [],
    availability_zones: ["nova"],
    created_at: ts(world, n.created),
    description: n.description,
    dns_domain: "",
    id: n.id,
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    is_default: n.is_default,
    l2_adjacency: true,
    mtu: n.mtu,
    name: n.name,
    port_security_enabled: n.port_security_enabled,
    ...owner(n.project_id),
    "provider:network_type": n.external ? "flat" : "geneve",
    "provider:physical_network": n.external ? "public" : null,
    "provider:segmentation_id": n.external ? null : 1000 + (n.seq % 1000),
    qos_policy_id: null,
    revision_number: n.revision,
    "router:external": n.external,
    shared: n.shared,
    status: n.status,
    subnets: [...n.subnet_ids],
    tags: [...n.tags],
    updated_at: ts(world, n.updated),
  };
  if (admin) return view;
  // NOTE: neutron's default policy shows the provider:* attributes to admins only.
  const {
    "provider:network_type": _type,
    "provider:physical_network": _physnet,
    "provider:segmentation_id": _segment,
    ...rest
  } = view;
  return rest;
}

/** A subnet as neutron shows it. */
export function subnetView(world: World, s: SubnetRecord) {
  return {
    allocation_pools: s.allocation_pools,
    cidr: s.cidr,
    created_at: ts(world, s.created),
    description: s.description,
    dns_nameservers: s.dns_nameservers,
    dns_publish_fixed_ip: false,
    enable_dhcp: s.enable_dhcp,
    gateway_ip: s.gateway_ip,
    host_routes: s.host_routes,
    id: s.id,
    ip_version: s.ip_version,
    ipv6_address_mode: s.ipv6_address_mode,
    ipv6_ra_mode: s.ipv6_ra_mode,
    name: s.name,
    network_id: s.network_id,
    ...owner(s.project_id),
    revision_number: s.revision,
    segment_id: null,
    service_types: [],
    subnetpool_id: s.subnetpool_id,
    tags: [...s.tags],
    updated_at: ts(world, s.updated),
    "router:external": world.networks.get(s.network_id)?.external ?? false,
  };
}

/** neutron's DNS names of a port's fixed IPs when it has no dns_name (`host-10-0-0-3.openstacklocal.`). */
function dnsAssignment(p: PortRecord) {
  return p.fixed_ips.map((f) => {
    const hostname = `host-${f.ip_address.replace(/[.:]/g, "-")}`;
    return { fqdn: `${hostname}.openstacklocal.`, hostname, ip_address: f.ip_address };
  });
}

/** A port as neutron shows it (`admin`: the caller is an admin, who alone sees the binding details). */
export function portView(world: World, p: PortRecord, admin: boolean) {
  // NOTE: neutron's default policy shows binding:host_id, profile, vif_details and vif_type to admins only.
  const binding = admin
    ? {
        "binding:host_id": p.binding_host_id,
        "binding:profile": {},
        "binding:vif_details": {},
        "binding:vif_type": p.device_id ? "ovs" : "unbound",
      }
    : {};
  return {
    admin_state_up: p.admin_state_up,
    allowed_address_pairs: [],
    ...binding,
    "binding:vnic_type": p.binding_vnic_type,
    created_at: ts(world, p.created),
    description: p.description,
    device_id: p.device_id,
    device_owner: p.device_owner,
    dns_assignment: dnsAssignment(p),
    dns_domain: "",
    dns_name: "",
    extra_dhcp_opts: [],
    fixed_ips: p.fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
    id: p.id,
    ip_allocation: "immediate",
    mac_address: p.mac_address,
    name: p.name,
    network_id: p.network_id,
    port_security_enabled: p.port_security_enabled,
    ...owner(p.project_id),
    qos_network_policy_id: null,
    qos_policy_id: null,
    propagate_uplink_status: false,
    revision_number: p.revision,
    security_groups: [...p.security_group_ids],
    status: p.status,
    tags: [...p.tags],
    updated_at: ts(world, p.updated),
  };
}

/** A router as neutron shows it. */
export function routerView(world: World, r: RouterRecord) {
  return {
    admin_state_up: r.admin_state_up,
    availability_zone_hints: [],
    availability_zones: ["nova"],
    created_at: ts(world, r.created),
    description: r.description,
    distributed: r.distributed,
    external_gateway_info: r.external_gateway_info && {
      enable_snat: r.external_gateway_info.enable_snat,
      external_fixed_ips: r.external_gateway_info.external_fixed_ips.map((f) => ({ ...f })),
      network_id: r.external_gateway_info.network_id,
    },
    flavor_id: null,
    ha: r.ha,
    id: r.id,
    name: r.name,
    revision_number: r.revision,
    routes: r.routes,
    status: r.status,
    ...owner(r.project_id),
    tags: [...r.tags],
    updated_at: ts(world, r.updated),
  };
}

/** Whether a floating IP's association shows in reads yet (see the `fipDelayMs` fault). */
export function fipAssociationVisible(world: World, f: FloatingIpRecord): boolean {
  return f.assoc_visible_at === undefined || f.assoc_visible_at <= world.clock.now();
}

/** A floating IP as neutron shows it. */
export function floatingIpView(world: World, f: FloatingIpRecord, opts: { readonly written?: boolean } = {}) {
  // The write's own answer shows the association at once; reads show it when it is visible.
  if (!opts.written && !fipAssociationVisible(world, f)) {
    const unassociated = { ...f, port_id: null, fixed_ip_address: null, router_id: null, status: "DOWN" };
    return floatingIpView(world, unassociated, { written: true });
  }
  const port = f.port_id ? world.ports.get(f.port_id) : undefined;
  return {
    created_at: ts(world, f.created),
    description: f.description,
    dns_domain: f.dns_domain,
    dns_name: f.dns_name,
    fixed_ip_address: f.fixed_ip_address,
    floating_ip_address: f.floating_ip_address,
    floating_network_id: f.floating_network_id,
    id: f.id,
    port_details: port
      ? {
          admin_state_up: port.admin_state_up,
          device_id: port.device_id,
          device_owner: port.device_owner,
          mac_address: port.mac_address,
          name: port.name,
          network_id: port.network_id,
          status: port.status,
        }
      : null,
    port_forwardings: [],
    port_id: f.port_id,
    ...owner(f.project_id),
    qos_policy_id: null,
    revision_number: f.revision,
    router_id: f.router_id,
    status: f.status,
    tags: [...f.tags],
    updated_at: ts(world, f.updated),
  };
}

/** A security group rule as neutron shows it. */
export function ruleView(world: World, r: SecurityGroupRuleRecord) {
  return {
    created_at: ts(world, r.created),
    description: r.description,
    direction: r.direction,
    ethertype: r.ethertype,
    id: r.id,
    port_range_max: r.port_range_max,
    port_range_min: r.port_range_min,
    ...owner(r.project_id),
    protocol: r.protocol,
    remote_address_group_id: null,
    remote_group_id: r.remote_group_id,
    remote_ip_prefix: r.remote_ip_prefix,
    revision_number: r.revision,
    security_group_id: r.security_group_id,
    updated_at: ts(world, r.updated),
  };
}

/** A security group (with its rules) as neutron shows it. */
export function securityGroupView(world: World, g: SecurityGroupRecord) {
  return {
    created_at: ts(world, g.created),
    description: g.description,
    id: g.id,
    name: g.name,
    ...owner(g.project_id),
    revision_number: g.revision,
    security_group_rules: world.securityGroupRules
      .ofProject(g.project_id)
      .filter((r) => r.security_group_id === g.id)
      .map((r) => ruleView(world, r)),
    stateful: g.stateful,
    shared: false,
    tags: [...g.tags],
    updated_at: ts(world, g.updated),
  };
}

import { neutronErrorStyle, notFound } from "../../core/errors.js";
import { json } from "../../core/http.js";
import type { ServiceModule, SimState } from "../../core/service.js";
import { registerCore } from "./routes-core.js";
import { registerL3 } from "./routes-l3.js";
import { registerMisc } from "./routes-misc.js";
import { registerSubnetPools } from "./subnetpools.js";

const BASE_EXTENSIONS: [alias: string, name: string][] = [
  ["agent", "agent"],
  ["allowed-address-pairs", "Allowed Address Pairs"],
  ["availability_zone", "Availability Zone"],
  ["binding", "Port Binding"],
  ["external-net", "Neutron external network"],
  ["extra_dhcp_opt", "Neutron Extra DHCP options"],
  ["network-ip-availability", "Network IP Availability"],
  ["port-security", "Port Security"],
  ["provider", "Provider Network"],
  ["quotas", "Quota management support"],
  ["security-group", "security-group"],
];
const MODERN_EXTENSIONS: [string, string][] = [
  [
    "standard-attr-tag",
    "Tag support for resources with standard attribute: port, subnet, subnetpool, network, security_group, router, floatingip, policy, trunk, network_segment_range",
  ],
  ["standard-attr-timestamp", "Resource timestamps"],
  ["standard-attr-revisions", "Resource revision numbers"],
  ["standard-attr-description", "standard-attr-description"],
  ["filter-validation", "Filter parameters validation"],
  ["revision-if-match", "If-Match constraints based on revision_number"],
  ["pagination", "Pagination support"],
  ["sorting", "Sorting support"],
  ["project-id", "project_id field enabled"],
  ["quota_details", "Quota details management support"],
  ["net-mtu", "Network MTU"],
  ["default-subnetpools", "Default Subnetpools"],
  ["network_availability_zone", "Network Availability Zone"],
  ["stateful-security-group", "Stateful security group"],
];
const L3_EXTENSIONS: [string, string][] = [
  ["router", "Neutron L3 Router"],
  ["ext-gw-mode", "Neutron L3 Configurable external gateway mode"],
  ["extraroute", "Neutron Extra Route"],
  ["fip-port-details", "Floating IP Port Details Extension"],
  ["subnet_allocation", "Subnet Allocation"],
];

/** The extension aliases a profile's neutron announces. */
export function extensionsOf(sim: SimState): [string, string][] {
  const p = sim.profile;
  const out = [...BASE_EXTENSIONS];
  if (p.name === "modern") out.push(...MODERN_EXTENSIONS);
  if (p.name === "kilo") out.push(["timestamp_core", "Time Stamp Fields addition for core resources"]);
  if (p.network.routers) out.push(...L3_EXTENSIONS);
  if (p.network.autoAllocatedTopology)
    out.push(["auto-allocated-topology", "Auto Allocated Topology Services"]);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

function extensionView([alias, name]: [string, string]) {
  return { alias, description: `${name}.`, links: [], name, updated: "2013-01-01T10:00:00-00:00" };
}

/** neutron v2.0. */
export const networkModule: ServiceModule = {
  name: "network",
  prefix: "/network",
  errorStyle: neutronErrorStyle,
  enabled: (p) => p.network.enabled,
  catalog: (sim) => [{ type: "network", name: "neutron", url: `${sim.baseUrl}/network` }],
  register(router) {
    const { sim } = router;
    const version = {
      id: "v2.0",
      links: [{ href: `${sim.baseUrl}/network/v2.0/`, rel: "self" }],
      status: "CURRENT",
    };
    const open = router.group({ bases: [""], auth: false });
    open.get("/", (c) => json(c, 200, { versions: [version] }));
    const v2 = router.group({ bases: ["/v2.0"] });
    v2.get("", (c) =>
      json(c, 200, {
        resources: [
          "network",
          "subnet",
          "port",
          ...(sim.profile.network.routers ? ["router", "floatingip", "subnetpool"] : []),
          "security_group",
        ].map((name) => ({
          links: [{ href: `${sim.baseUrl}/network/v2.0/${name}s`, rel: "self" }],
          name,
          collection: `${name}s`,
        })),
      }),
    );
    v2.get("/extensions", (c) => json(c, 200, { extensions: extensionsOf(sim).map(extensionView) }));
    v2.get("/extensions/:alias", (c) => {
      const e = extensionsOf(sim).find(([a]) => a === c.req.param("alias"));
      if (!e) throw notFound(`Extension with alias ${c.req.param("alias")} does not exist`);
      return json(c, 200, { extension: extensionView(e) });
    });
    registerCore(v2, sim);
    registerL3(v2, sim);
    if (sim.profile.network.routers) registerSubnetPools(v2, sim);
    registerMisc(v2, sim);
  },
};

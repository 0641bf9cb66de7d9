import { type FidelityContext, type FidelityRow, row } from "./types.js";

const N = "nova/api_samples";
const v21 = (path: string) => ({ path: `/compute/v2.1${path}` });
const PUBKEY =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova";

async function flavor(x: FidelityContext, isPublic = true): Promise<string> {
  const res = await x.admin.call("POST", "/compute/v2.1/flavors", {
    flavor: { name: x.name("f"), ram: 64, vcpus: 1, disk: 1, "os-flavor-access:is_public": isPublic },
  });
  return (res.body as { flavor: { id: string } }).flavor.id;
}

async function keypair(x: FidelityContext): Promise<string> {
  const name = x.name("kp");
  await x.demo.call("POST", "/compute/v2.1/os-keypairs", { keypair: { name, public_key: PUBKEY } });
  return name;
}

async function group(x: FidelityContext): Promise<string> {
  const res = await x.demo.call("POST", "/compute/v2.1/os-server-groups", {
    server_group: { name: x.name("g"), policies: ["anti-affinity"] },
  });
  return (res.body as { server_group: { id: string } }).server_group.id;
}

async function attached(x: FidelityContext): Promise<[string, string]> {
  const server = await x.server();
  const volume = x.volume();
  await x.demo.call("POST", `/compute/v2.1/servers/${server}/os-volume_attachments`, {
    volumeAttachment: { volumeId: volume },
  });
  return [server, volume];
}

async function interfacePort(x: FidelityContext): Promise<[string, string]> {
  const server = await x.server();
  const port = x.sim.admin.state.world.portsOfDevice(server)[0]!.id;
  return [server, port];
}

async function novaFip(x: FidelityContext): Promise<string> {
  const res = await x.demo.call("POST", "/compute/v2.1/os-floating-ips", { pool: "public" });
  return (res.body as { floating_ip: { id: string } }).floating_ip.id;
}

async function novaGroup(x: FidelityContext): Promise<string> {
  const res = await x.demo.call("POST", "/compute/v2.1/os-security-groups", {
    security_group: { name: x.name("sg"), description: "d" },
  });
  return (res.body as { security_group: { id: string } }).security_group.id;
}

const NN = { profile: "nova-network" as const };

/** nova flavors, keypairs, limits, quotas, zones, server groups, attachments, interfaces, proxies. */
export const COMPUTE_RESOURCE_ROWS: readonly FidelityRow[] = [
  row("compute", "GET /v2.1/flavors", 200, () => v21("/flavors"), {
    sample: `${N}/flavors/flavors-list-resp.json`,
  }),
  row("compute", "GET /v2.1/flavors", 200, () => v21("/flavors"), {
    mv: "2.55",
    sample: `${N}/flavors/v2.55/flavors-list-resp.json`,
  }),
  row("compute", "GET /v2.1/flavors/detail", 200, () => v21("/flavors/detail"), {
    sample: `${N}/flavors/flavors-detail-resp.json`,
  }),
  row("compute", "GET /v2.1/flavors/detail", 200, () => v21("/flavors/detail"), {
    mv: "2.75",
    sample: `${N}/flavors/v2.75/flavors-detail-resp.json`,
    ignore: ["flavors[].extra_specs.*"],
  }),
  row("compute", "GET /v2.1/flavors/{flavor_id}", 200, () => v21("/flavors/1"), {
    sample: `${N}/flavors/flavor-get-resp.json`,
  }),
  row("compute", "GET /v2.1/flavors/{flavor_id}", 200, () => v21("/flavors/1"), {
    mv: "2.61",
    sample: `${N}/flavors/v2.61/flavor-get-resp.json`,
    ignore: ["flavor.extra_specs.*"],
  }),
  row(
    "compute",
    "POST /v2.1/flavors",
    200,
    (x) => ({ ...v21("/flavors"), body: { flavor: { name: x.name("f"), ram: 1024, vcpus: 2, disk: 10 } } }),
    { as: "admin", sample: `${N}/flavor-manage/flavor-create-post-resp.json` },
  ),
  row("compute", "DELETE /v2.1/flavors/{flavor_id}", 202, async (x) => v21(`/flavors/${await flavor(x)}`), {
    as: "admin",
    noSample: "202 without a body",
  }),
  row(
    "compute",
    "GET /v2.1/flavors/{flavor_id}/os-extra_specs",
    200,
    () => v21("/flavors/1/os-extra_specs"),
    {
      sample: `${N}/flavor-extra-specs/flavor-extra-specs-list-resp.json`,
      ignore: ["extra_specs.*"],
    },
  ),
  row(
    "compute",
    "POST /v2.1/flavors/{flavor_id}/os-extra_specs",
    200,
    async (x) => ({
      ...v21(`/flavors/${await flavor(x)}/os-extra_specs`),
      body: { extra_specs: { "hw:cpu_policy": "shared", "hw:numa_nodes": "1" } },
    }),
    { as: "admin", sample: `${N}/flavor-extra-specs/flavor-extra-specs-create-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/flavors/{flavor_id}/os-extra_specs/{key}",
    200,
    async (x) => {
      const id = await flavor(x);
      await x.admin.call("POST", `/compute/v2.1/flavors/${id}/os-extra_specs`, {
        extra_specs: { "hw:numa_nodes": "1" },
      });
      return v21(`/flavors/${id}/os-extra_specs/hw:numa_nodes`);
    },
    { sample: `${N}/flavor-extra-specs/flavor-extra-specs-get-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/flavors/{flavor_id}/os-extra_specs/{key}",
    200,
    async (x) => ({
      ...v21(`/flavors/${await flavor(x)}/os-extra_specs/hw:numa_nodes`),
      body: { "hw:numa_nodes": "2" },
    }),
    { as: "admin", sample: `${N}/flavor-extra-specs/flavor-extra-specs-update-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/flavors/{flavor_id}/os-extra_specs/{key}",
    200,
    async (x) => {
      const id = await flavor(x);
      await x.admin.call("POST", `/compute/v2.1/flavors/${id}/os-extra_specs`, { extra_specs: { k: "v" } });
      return v21(`/flavors/${id}/os-extra_specs/k`);
    },
    { as: "admin", noSample: "200 without a body" },
  ),
  row(
    "compute",
    "GET /v2.1/flavors/{flavor_id}/os-flavor-access",
    200,
    async (x) => {
      const id = await flavor(x, false);
      await x.admin.call("POST", `/compute/v2.1/flavors/${id}/action`, {
        addTenantAccess: { tenant: x.demo.projectId },
      });
      return v21(`/flavors/${id}/os-flavor-access`);
    },
    {
      as: "admin",
      sample: `${N}/flavor-access/flavor-access-list-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/flavors/{flavor_id}/action",
    200,
    async (x) => ({
      ...v21(`/flavors/${await flavor(x, false)}/action`),
      body: { addTenantAccess: { tenant: x.demo.projectId } },
    }),
    { as: "admin", sample: `${N}/flavor-access/flavor-access-add-tenant-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/os-keypairs",
    200,
    async (x) => {
      await keypair(x);
      return v21("/os-keypairs");
    },
    {
      sample: `${N}/os-keypairs/keypairs-list-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/os-keypairs",
    200,
    async (x) => {
      await keypair(x);
      return v21("/os-keypairs");
    },
    {
      mv: "2.2",
      sample: `${N}/os-keypairs/v2.2/keypairs-list-resp.json`,
    },
  ),
  row("compute", "GET /v2.1/os-keypairs/{name}", 200, async (x) => v21(`/os-keypairs/${await keypair(x)}`), {
    sample: `${N}/os-keypairs/keypairs-get-resp.json`,
  }),
  row(
    "compute",
    "POST /v2.1/os-keypairs",
    200,
    (x) => ({ ...v21("/os-keypairs"), body: { keypair: { name: x.name("kp") } } }),
    {
      sample: `${N}/os-keypairs/keypairs-post-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-keypairs",
    201,
    (x) => ({
      ...v21("/os-keypairs"),
      body: { keypair: { name: x.name("kp"), public_key: PUBKEY, type: "ssh" } },
    }),
    { mv: "2.2", sample: `${N}/os-keypairs/v2.2/keypairs-import-post-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/os-keypairs/{name}",
    202,
    async (x) => v21(`/os-keypairs/${await keypair(x)}`),
    {
      noSample: "202 without a body (204 from 2.2)",
    },
  ),
  row("compute", "GET /v2.1/limits", 200, () => v21("/limits"), {
    sample: `${N}/limits/limit-get-resp.json`,
  }),
  row("compute", "GET /v2.1/limits", 200, () => v21("/limits"), {
    mv: "2.57",
    sample: `${N}/limits/v2.57/limit-get-resp.json`,
  }),
  row(
    "compute",
    "GET /v2.1/os-quota-sets/{project_id}",
    200,
    (x) => v21(`/os-quota-sets/${x.demo.projectId}`),
    {
      sample: `${N}/os-quota-sets/quotas-show-get-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/os-quota-sets/{project_id}",
    200,
    (x) => v21(`/os-quota-sets/${x.demo.projectId}`),
    {
      mv: "2.57",
      sample: `${N}/os-quota-sets/v2.57/quotas-show-get-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/os-quota-sets/{project_id}/defaults",
    200,
    (x) => v21(`/os-quota-sets/${x.demo.projectId}/defaults`),
    { sample: `${N}/os-quota-sets/quotas-show-defaults-get-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/os-quota-sets/{project_id}/detail",
    200,
    (x) => v21(`/os-quota-sets/${x.demo.projectId}/detail`),
    { sample: `${N}/os-quota-sets/quotas-show-detail-get-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/os-quota-sets/{project_id}",
    200,
    (x) => ({ ...v21(`/os-quota-sets/${x.demo.projectId}`), body: { quota_set: { security_groups: 45 } } }),
    { as: "admin", sample: `${N}/os-quota-sets/quotas-update-post-resp.json` },
  ),
  row("compute", "GET /v2.1/os-availability-zone", 200, () => v21("/os-availability-zone"), {
    sample: `${N}/os-availability-zone/availability-zone-list-resp.json`,
  }),
  row("compute", "GET /v2.1/os-availability-zone/detail", 200, () => v21("/os-availability-zone/detail"), {
    as: "admin",
    sample: `${N}/os-availability-zone/availability-zone-detail-resp.json`,
    ignore: ["availabilityZoneInfo[].hosts.*"],
  }),
  row(
    "compute",
    "GET /v2.1/os-server-groups",
    200,
    async (x) => {
      await group(x);
      return v21("/os-server-groups");
    },
    {
      sample: `${N}/os-server-groups/server-groups-list-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/os-server-groups/{id}",
    200,
    async (x) => v21(`/os-server-groups/${await group(x)}`),
    {
      mv: "2.13",
      sample: `${N}/os-server-groups/v2.13/server-groups-get-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-server-groups",
    200,
    (x) => ({
      ...v21("/os-server-groups"),
      body: { server_group: { name: x.name("g"), policy: "anti-affinity" } },
    }),
    {
      mv: "2.64",
      sample: `${N}/os-server-groups/v2.64/server-groups-post-resp.json`,
      ignore: ["server_group.rules.*"],
    },
  ),
  row(
    "compute",
    "DELETE /v2.1/os-server-groups/{id}",
    204,
    async (x) => v21(`/os-server-groups/${await group(x)}`),
    {
      noSample: "204 without a body",
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/os-volume_attachments",
    200,
    async (x) => v21(`/servers/${(await attached(x))[0]}/os-volume_attachments`),
    { sample: `${N}/os-volume_attachments/list-volume-attachments-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/os-volume_attachments/{volume_id}",
    200,
    async (x) => {
      const [s, v] = await attached(x);
      return v21(`/servers/${s}/os-volume_attachments/${v}`);
    },
    { mv: "2.70", sample: `${N}/os-volume_attachments/v2.70/volume-attachment-detail-resp.json` },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/os-volume_attachments",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}/os-volume_attachments`),
      body: { volumeAttachment: { volumeId: x.volume() } },
    }),
    { sample: `${N}/os-volume_attachments/attach-volume-to-server-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/servers/{server_id}/os-volume_attachments/{volume_id}",
    202,
    async (x) => {
      const [s, v] = await attached(x);
      return v21(`/servers/${s}/os-volume_attachments/${v}`);
    },
    { noSample: "202 without a body" },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/os-interface",
    200,
    async (x) => v21(`/servers/${await x.server()}/os-interface`),
    { sample: `${N}/os-attach-interfaces/attach-interfaces-list-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/os-interface/{port_id}",
    200,
    async (x) => {
      const [s, p] = await interfacePort(x);
      return v21(`/servers/${s}/os-interface/${p}`);
    },
    { mv: "2.70", sample: `${N}/os-attach-interfaces/v2.70/attach-interfaces-show-resp.json` },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/os-interface",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}/os-interface`),
      body: { interfaceAttachment: { net_id: x.net.private } },
    }),
    { sample: `${N}/os-attach-interfaces/attach-interfaces-create-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/servers/{server_id}/os-interface/{port_id}",
    202,
    async (x) => {
      const [s, p] = await interfacePort(x);
      return v21(`/servers/${s}/os-interface/${p}`);
    },
    { noSample: "202 without a body" },
  ),

  // nova's network proxies (the nova-network profile; removed from nova at 2.36)
  row("compute", "GET /v2.1/os-networks", 200, () => v21("/os-networks"), {
    ...NN,
    sample: `${N}/os-networks/networks-list-resp.json`,
  }),
  row(
    "compute",
    "GET /v2.1/os-networks/{id}",
    200,
    (x) => v21(`/os-networks/${x.sim.admin.state.world.networks.find((n) => n.name === "private")!.id}`),
    { ...NN, sample: `${N}/os-networks/network-show-resp.json` },
  ),
  row("compute", "GET /v2.1/os-floating-ip-pools", 200, () => v21("/os-floating-ip-pools"), {
    ...NN,
    sample: `${N}/os-floating-ip-pools/floatingippools-list-resp.json`,
  }),
  row(
    "compute",
    "GET /v2.1/os-floating-ips",
    200,
    async (x) => {
      await novaFip(x);
      return v21("/os-floating-ips");
    },
    {
      ...NN,
      sample: `${N}/os-floating-ips/floating-ips-list-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/os-floating-ips/{id}",
    200,
    async (x) => v21(`/os-floating-ips/${await novaFip(x)}`),
    {
      ...NN,
      sample: `${N}/os-floating-ips/floating-ips-get-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-floating-ips",
    200,
    () => ({ ...v21("/os-floating-ips"), body: { pool: "public" } }),
    {
      ...NN,
      sample: `${N}/os-floating-ips/floating-ips-create-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-floating-ips",
    400,
    () => ({ ...v21("/os-floating-ips"), raw: "{not json" }),
    {
      ...NN,
      noSample: "a malformed body is nova's 400 badRequest",
      check: (res) => {
        if (!(res.body as Record<string, unknown>).badRequest) throw new Error("not a badRequest body");
      },
    },
  ),
  row(
    "compute",
    "DELETE /v2.1/os-floating-ips/{id}",
    202,
    async (x) => v21(`/os-floating-ips/${await novaFip(x)}`),
    {
      ...NN,
      noSample: "202 without a body",
    },
  ),
  row("compute", "GET /v2.1/os-security-groups", 200, () => v21("/os-security-groups"), {
    ...NN,
    sample: `${N}/os-security-groups/security-groups-list-get-resp.json`,
  }),
  row(
    "compute",
    "GET /v2.1/os-security-groups/{id}",
    200,
    async (x) => v21(`/os-security-groups/${await novaGroup(x)}`),
    {
      ...NN,
      sample: `${N}/os-security-groups/security-groups-get-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-security-groups",
    200,
    (x) => ({
      ...v21("/os-security-groups"),
      body: { security_group: { name: x.name("sg"), description: "d" } },
    }),
    { ...NN, sample: `${N}/os-security-groups/security-groups-create-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/os-security-groups/{id}",
    202,
    async (x) => v21(`/os-security-groups/${await novaGroup(x)}`),
    {
      ...NN,
      noSample: "202 without a body",
    },
  ),
  row(
    "compute",
    "POST /v2.1/os-security-group-rules",
    200,
    async (x) => ({
      ...v21("/os-security-group-rules"),
      body: {
        security_group_rule: {
          parent_group_id: await novaGroup(x),
          ip_protocol: "tcp",
          from_port: 22,
          to_port: 22,
          cidr: "10.0.0.0/24",
        },
      },
    }),
    { ...NN, sample: `${N}/os-security-groups/security-group-rules-post-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/os-security-group-rules/{id}",
    202,
    async (x) => {
      const res = await x.demo.call("POST", "/compute/v2.1/os-security-group-rules", {
        security_group_rule: {
          parent_group_id: await novaGroup(x),
          ip_protocol: "tcp",
          from_port: 80,
          to_port: 80,
        },
      });
      return v21(
        `/os-security-group-rules/${(res.body as { security_group_rule: { id: string } }).security_group_rule.id}`,
      );
    },
    { ...NN, noSample: "202 without a body" },
  ),
];

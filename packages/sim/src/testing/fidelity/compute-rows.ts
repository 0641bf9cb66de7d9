import { COMPUTE_EXTENSION_ROWS } from "./compute-extension-rows.js";
import { COMPUTE_RESOURCE_ROWS } from "./compute-resource-rows.js";
import { type FidelityContext, type FidelityRow, row } from "./types.js";

const N = "nova/api_samples";
const v21 = (path: string) => ({ path: `/compute/v2.1${path}` });
/** Keys nova's default policy shows to admins only (the samples are made as admin). */
const ADMIN_ONLY = [
  "server.OS-EXT-SRV-ATTR:host",
  "server.OS-EXT-SRV-ATTR:hypervisor_hostname",
  "server.OS-EXT-SRV-ATTR:instance_name",
  "server.OS-EXT-SRV-ATTR:hostname",
  "server.OS-EXT-SRV-ATTR:kernel_id",
  "server.OS-EXT-SRV-ATTR:launch_index",
  "server.OS-EXT-SRV-ATTR:ramdisk_id",
  "server.OS-EXT-SRV-ATTR:reservation_id",
  "server.OS-EXT-SRV-ATTR:root_device_name",
  "server.OS-EXT-SRV-ATTR:user_data",
  "server.host_status",
];
const MAPS = ["server.metadata.*", "servers[].metadata.*"];
const listAdmin = ADMIN_ONLY.map((k) => k.replace(/^server\./, "servers[]."));

/** An ACTIVE server of demo's with a volume attached (so `volumes_attached` has an item to compare). */
async function withVolume(x: FidelityContext): Promise<string> {
  const server = await x.server();
  await x.demo.call("POST", `/compute/v2.1/servers/${server}/os-volume_attachments`, {
    volumeAttachment: { volumeId: x.volume() },
  });
  return server;
}

/** An ACTIVE server of demo's in a server group (so `server_groups` has an item, from 2.71). */
async function inGroup(x: FidelityContext): Promise<string> {
  const g = await x.demo.call("POST", "/compute/v2.1/os-server-groups", {
    server_group: { name: x.name("g"), policies: ["affinity"] },
  });
  const group = (g.body as { server_group: { id: string } }).server_group.id;
  const res = await x.demo.call("POST", "/compute/v2.1/servers", {
    server: { name: x.name("vm"), imageRef: x.image, flavorRef: "1" },
    "os:scheduler_hints": { group },
  });
  x.sim.admin.finishBuilds();
  return (res.body as { server: { id: string } }).server.id;
}

async function action(x: FidelityContext, body: unknown, id?: string) {
  return { ...v21(`/servers/${id ?? (await x.server())}/action`), body };
}

/** nova servers, actions, metadata, tags, ips; the rest is in compute-resource-rows. */
export const COMPUTE_ROWS: readonly FidelityRow[] = [
  row("compute", "GET /", 200, () => ({ path: "/compute/" }), {
    as: "none",
    sample: `${N}/versions/versions-get-resp.json`,
    // NOTE: the sample's v2.0 entry has no min_version/version keys filled; the shapes still agree.
  }),
  row("compute", "GET /v2.1", 200, () => v21(""), {
    as: "none",
    sample: `${N}/versions/v21-version-get-resp.json`,
  }),
  row(
    "compute",
    "GET /v2.1/servers",
    200,
    async (x) => {
      await x.server();
      return v21("/servers");
    },
    {
      sample: `${N}/servers/servers-list-resp.json`,
      // NOTE: nova sends servers_links only when a page is full (the sample's list was paged).
      ignore: ["servers_links"],
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/detail",
    200,
    async (x) => {
      await withVolume(x);
      return v21("/servers/detail?all_tenants=1");
    },
    {
      as: "admin",
      sample: `${N}/servers/servers-details-resp.json`,
      ignore: ["servers[].metadata.*", "servers_links"],
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/detail",
    200,
    async (x) => {
      await withVolume(x);
      return v21("/servers/detail");
    },
    {
      mv: "2.47",
      sample: `${N}/servers/v2.47/servers-details-resp.json`,
      ignore: [...listAdmin, "servers[].metadata.*", "servers_links", "servers[].flavor.extra_specs.*"],
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/detail",
    200,
    async (x) => {
      await withVolume(x);
      return v21("/servers/detail?all_tenants=1");
    },
    {
      mv: "2.73",
      as: "admin",
      sample: `${N}/servers/v2.73/servers-details-resp.json`,
      ignore: ["servers[].metadata.*", "servers_links"],
    },
  ),
  row(
    "compute",
    "POST /v2.1/servers",
    202,
    (x) => ({
      ...v21("/servers"),
      body: { server: { name: x.name("vm"), imageRef: x.image, flavorRef: "1" } },
    }),
    { sample: `${N}/servers/server-create-resp.json` },
  ),
  row(
    "compute",
    "POST /v2.1/servers",
    202,
    (x) => ({
      ...v21("/servers"),
      body: { server: { name: x.name("vm"), imageRef: x.image, flavorRef: "1", networks: "auto" } },
    }),
    { mv: "2.47", sample: `${N}/servers/v2.47/server-create-resp.json` },
  ),
  row(
    "compute",
    "POST /v2.1/servers",
    202,
    (x) => ({
      ...v21("/servers"),
      // As nova's request sample: inside "server", in nova's string spelling of booleans and counts.
      body: {
        server: {
          name: x.name("vm"),
          imageRef: x.image,
          flavorRef: "1",
          min_count: "2",
          max_count: "2",
          return_reservation_id: "True",
        },
      },
    }),
    { sample: `${N}/os-multiple-create/multiple-create-post-resp.json` },
  ),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await withVolume(x)}`), {
    as: "admin",
    sample: `${N}/servers/server-get-resp.json`,
    ignore: MAPS,
  }),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await withVolume(x)}`), {
    sample: `${N}/servers/server-get-resp.json`,
    ignore: [...ADMIN_ONLY, ...MAPS],
  }),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await withVolume(x)}`), {
    as: "admin",
    mv: "2.16",
    sample: `${N}/servers/v2.16/server-get-resp.json`,
    ignore: MAPS,
  }),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await withVolume(x)}`), {
    as: "admin",
    mv: "2.47",
    sample: `${N}/servers/v2.47/server-get-resp.json`,
    ignore: [...MAPS, "server.flavor.extra_specs.*"],
  }),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await inGroup(x)}`), {
    as: "admin",
    mv: "2.71",
    sample: `${N}/servers/v2.71/server-get-resp.json`,
    ignore: [...MAPS, "server.flavor.extra_specs.*"],
  }),
  row("compute", "GET /v2.1/servers/{server_id}", 200, async (x) => v21(`/servers/${await withVolume(x)}`), {
    as: "admin",
    mv: "2.73",
    sample: `${N}/servers/v2.73/server-get-resp.json`,
    ignore: [...MAPS, "server.flavor.extra_specs.*"],
  }),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}",
    200,
    async (x) => ({ ...v21(`/servers/${await x.server()}`), body: { server: { name: "renamed" } } }),
    { sample: `${N}/servers/server-update-resp.json`, ignore: [...ADMIN_ONLY, ...MAPS] },
  ),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}`),
      body: { server: { name: "renamed", description: "d" } },
    }),
    { mv: "2.47", sample: `${N}/servers/v2.47/server-update-resp.json`, ignore: [...ADMIN_ONLY, ...MAPS] },
  ),
  row("compute", "DELETE /v2.1/servers/{server_id}", 204, async (x) => v21(`/servers/${await x.server()}`), {
    noSample: "204 without a body",
  }),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/action",
    202,
    (x) => action(x, { reboot: { type: "SOFT" } }),
    {
      noSample: "202 without a body (server-action-reboot.json is the request)",
    },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/action",
    202,
    (x) => action(x, { createImage: { name: "snap" } }),
    {
      mv: "2.45",
      sample: `${N}/servers/v2.45/server-action-create-image-resp.json`,
    },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/action",
    202,
    (x) => action(x, { rebuild: { imageRef: x.image, name: "rebuilt" } }),
    { as: "admin", sample: `${N}/servers/server-action-rebuild-resp.json`, ignore: ["server.metadata.*"] },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/action",
    202,
    (x) => action(x, { rebuild: { imageRef: x.image, name: "rebuilt" } }),
    {
      mv: "2.47",
      sample: `${N}/servers/v2.47/server-action-rebuild-resp.json`,
      ignore: ["server.metadata.*", ...ADMIN_ONLY],
    },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/action",
    202,
    (x) => action(x, { resize: { flavorRef: "2" } }),
    {
      noSample: "202 without a body (server-action-resize.json is the request)",
      check: async (_r, x) => {
        const s = x.sim.admin.state.world.servers.all().at(-1)!;
        if (s.status !== "VERIFY_RESIZE") throw new Error(`resize ended in ${s.status}`);
      },
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/ips",
    200,
    async (x) => v21(`/servers/${await x.server()}/ips`),
    {
      sample: `${N}/server-ips/server-ips-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/ips/{network}",
    200,
    async (x) => v21(`/servers/${await x.server()}/ips/private`),
    { sample: `${N}/server-ips/server-ips-network-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/metadata",
    200,
    async (x) => v21(`/servers/${await x.server({ metadata: { foo: "Foo Value" } })}/metadata`),
    { sample: `${N}/server-metadata/server-metadata-all-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}/metadata",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}/metadata`),
      body: { metadata: { foo: "Foo Value" } },
    }),
    { sample: `${N}/server-metadata/server-metadata-all-resp.json` },
  ),
  row(
    "compute",
    "POST /v2.1/servers/{server_id}/metadata",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}/metadata`),
      body: { metadata: { foo: "Foo Value" } },
    }),
    { sample: `${N}/server-metadata/server-metadata-all-resp.json` },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/metadata/{key}",
    200,
    async (x) => v21(`/servers/${await x.server({ metadata: { foo: "Foo Value" } })}/metadata/foo`),
    { sample: `${N}/server-metadata/server-metadata-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}/metadata/{key}",
    200,
    async (x) => ({
      ...v21(`/servers/${await x.server()}/metadata/foo`),
      body: { meta: { foo: "Bar Value" } },
    }),
    { sample: `${N}/server-metadata/server-metadata-resp.json` },
  ),
  row(
    "compute",
    "DELETE /v2.1/servers/{server_id}/metadata/{key}",
    204,
    async (x) => v21(`/servers/${await x.server({ metadata: { foo: "x" } })}/metadata/foo`),
    { noSample: "204 without a body" },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/tags",
    200,
    async (x) => v21(`/servers/${await x.server({ tags: ["a"], networks: "none" }, "2.52")}/tags`),
    { mv: "2.26", sample: `${N}/os-server-tags/v2.26/server-tags-index-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}/tags",
    200,
    async (x) => ({ ...v21(`/servers/${await x.server()}/tags`), body: { tags: ["tag1", "tag2"] } }),
    { mv: "2.26", sample: `${N}/os-server-tags/v2.26/server-tags-put-all-resp.json` },
  ),
  row(
    "compute",
    "PUT /v2.1/servers/{server_id}/tags/{tag}",
    201,
    async (x) => v21(`/servers/${await x.server()}/tags/t1`),
    {
      mv: "2.26",
      noSample: "201 with a Location and no body",
      check: (res) => {
        if (!res.headers.get("location")) throw new Error("no Location");
      },
    },
  ),
  row(
    "compute",
    "GET /v2.1/servers/{server_id}/tags/{tag}",
    204,
    async (x) => v21(`/servers/${await x.server({ tags: ["t1"], networks: "none" }, "2.52")}/tags/t1`),
    { mv: "2.26", noSample: "204 without a body" },
  ),
  row(
    "compute",
    "DELETE /v2.1/servers/{server_id}/tags/{tag}",
    204,
    async (x) => v21(`/servers/${await x.server({ tags: ["t1"], networks: "none" }, "2.52")}/tags/t1`),
    { mv: "2.26", noSample: "204 without a body" },
  ),
  row(
    "compute",
    "DELETE /v2.1/servers/{server_id}/tags",
    204,
    async (x) => v21(`/servers/${await x.server({ tags: ["t1"], networks: "none" }, "2.52")}/tags`),
    { mv: "2.26", noSample: "204 without a body" },
  ),
  ...COMPUTE_RESOURCE_ROWS,
  ...COMPUTE_EXTENSION_ROWS,
];

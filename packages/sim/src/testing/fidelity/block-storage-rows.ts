import { type FidelityContext, type FidelityRow, row } from "./types.js";

const C = "cinder/v3/samples";
const v3 = (x: FidelityContext, path: string) => ({ path: `/volume/v3/${x.demo.projectId}${path}` });
const v3admin = (x: FidelityContext, path: string) => ({ path: `/volume/v3/${x.admin.projectId}${path}` });
/** Volume metadata is a free-form map: its keys are data, not shape. */
const METADATA = ["volume.metadata.*", "volumes[].metadata.*", "metadata.*"];

type Json = Record<string, unknown>;

/** An available volume of the admin project, made through the API (the samples are an admin's). */
async function adminVolume(x: FidelityContext): Promise<string> {
  const res = await x.admin.call("POST", `/volume/v3/${x.admin.projectId}/volumes`, {
    volume: { size: 1, name: x.name("vol"), metadata: { purpose: "fidelity" } },
  });
  if (res.status !== 202) throw new Error(`volume create failed: ${res.status} ${JSON.stringify(res.body)}`);
  x.sim.admin.state.world.finish("volume");
  return ((res.body as Json).volume as Json).id as string;
}

/** An available volume of demo's with one metadata item. */
function volume(x: FidelityContext): string {
  const id = x.volume();
  x.sim.admin.state.world.volumes.get(id)!.metadata = { purpose: "fidelity" };
  return id;
}

/** A snapshot of a volume of the admin project; returns its id. */
async function snapshot(x: FidelityContext): Promise<string> {
  const res = await x.admin.call(
    "POST",
    `/volume/v3/${x.admin.projectId}/snapshots`,
    { snapshot: { volume_id: await adminVolume(x), name: x.name("snap"), metadata: { key: "v" } } },
    { "OpenStack-API-Version": "volume 3.65" },
  );
  x.sim.admin.state.world.finish("volume");
  return ((res.body as Json).snapshot as Json).id as string;
}

/** A reserved attachment of a demo volume to a made-up instance; returns its id. */
async function attachment(x: FidelityContext): Promise<string> {
  const res = await x.demo.call(
    "POST",
    `/volume/v3/${x.demo.projectId}/attachments`,
    { attachment: { volume_uuid: volume(x), instance_uuid: x.sim.admin.state.world.ids.uuid() } },
    { "OpenStack-API-Version": "volume 3.54" },
  );
  if (res.status !== 200)
    throw new Error(`attachment create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return ((res.body as Json).attachment as Json).id as string;
}

/** The per-volume-type quotas of the simulator's second type (the sample's cloud had __DEFAULT__ only). */
const PER_TYPE = Object.fromEntries(
  ["gigabytes", "snapshots", "volumes"].map((k) => [
    `quota_set.${k}_lvmdriver-1`,
    "a per-type quota of devstack's lvmdriver-1 type, which the sample's cloud did not have",
  ]),
);
/** Connection info is the volume driver's (the sample's driver is another). */
const CONNECTION = ["attachment.connection_info.*", "attachments[].connection_info.*"];
const V2_KILO = "Kilo's cinder v2 sends it; the v2 api-ref sample predates it";
const CONNECTOR = { host: "sim-compute", initiator: "iqn.1993-08.org.debian:01:sim", ip: "127.0.0.1" };
const kilo = { profile: "kilo" as const };

/** cinder v3 (modern) and v2 (the Kilo-era profiles). */
export const BLOCK_STORAGE_ROWS: readonly FidelityRow[] = [
  row("block-storage", "GET /", 300, () => ({ path: "/volume/" }), {
    as: "none",
    sample: `${C}/versions/versions-response.json`,
  }),
  row("block-storage", "GET /v3", 200, () => ({ path: "/volume/v3" }), {
    as: "none",
    sample: `${C}/versions/version-show-response.json`,
  }),
  row("block-storage", "GET /v2", 200, () => ({ path: "/volume/v2" }), {
    ...kilo,
    as: "none",
    sample: "cinder/v2/samples/version-show-response.json",
  }),
  row(
    "block-storage",
    "POST /v3/{project_id}/volumes",
    202,
    (x) => ({
      ...v3admin(x, "/volumes"),
      body: { volume: { size: 1, name: x.name("vol") } },
    }),
    { as: "admin", sample: `${C}/volumes/volume-create-response.json` },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/volumes",
    200,
    (x) => {
      volume(x);
      return v3(x, "/volumes");
    },
    { sample: `${C}/volumes/volumes-list-response.json` },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/volumes/detail",
    200,
    async (x) => {
      await adminVolume(x);
      return v3admin(x, "/volumes/detail");
    },
    {
      as: "admin",
      mv: "3.65",
      sample: `${C}/volumes/v3.65/volumes-list-detailed-response.json`,
      ignore: METADATA,
    },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/volumes/{volume_id}",
    200,
    async (x) => v3admin(x, `/volumes/${await adminVolume(x)}`),
    { as: "admin", mv: "3.69", sample: `${C}/volumes/v3.69/volume-show-response.json`, ignore: METADATA },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/volumes/{volume_id}",
    200,
    async (x) => {
      const res = await x.demo.call("POST", `/volume/v2/${x.demo.projectId}/volumes`, {
        volume: { size: 1, name: x.name("k"), metadata: { contents: "not junk" } },
      });
      x.sim.admin.state.world.finish("volume");
      return { path: `/volume/v2/${x.demo.projectId}/volumes/${((res.body as Json).volume as Json).id}` };
    },
    {
      ...kilo,
      sample: "cinder/v2/samples/volume-show-response.json",
      ignore: METADATA,
      // NOTE: the v2 sample was generated by an admin; these attributes are admin-only.
      exceptions: Object.fromEntries([
        ...[
          "volume.os-vol-host-attr:host",
          "volume.os-vol-mig-status-attr:migstat",
          "volume.os-vol-mig-status-attr:name_id",
          "volume.migration_status",
        ].map((k) => [k, "admin-only (cinder's policy); the sample was an admin's, this row is demo's"]),
        ...[
          "volume.consistencygroup_id",
          "volume.encrypted",
          "volume.multiattach",
          "volume.replication_status",
          "volume.updated_at",
          "volume.user_id",
        ].map((k) => [k, V2_KILO]),
      ]),
    },
  ),
  row(
    "block-storage",
    "PUT /v3/{project_id}/volumes/{volume_id}",
    200,
    async (x) => ({
      ...v3admin(x, `/volumes/${await adminVolume(x)}`),
      body: { volume: { name: "renamed" } },
    }),
    { as: "admin", mv: "3.65", sample: `${C}/volumes/v3.65/volume-update-response.json`, ignore: METADATA },
  ),
  row(
    "block-storage",
    "DELETE /v3/{project_id}/volumes/{volume_id}",
    202,
    (x) => v3(x, `/volumes/${volume(x)}`),
    {
      noSample: "202 without a body",
    },
  ),
  row(
    "block-storage",
    "POST /v3/{project_id}/volumes/{volume_id}/action",
    202,
    (x) => ({ ...v3(x, `/volumes/${volume(x)}/action`), body: { "os-extend": { new_size: 2 } } }),
    { noSample: "202 without a body (os-extend)" },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/volumes/{volume_id}/metadata",
    200,
    (x) => v3(x, `/volumes/${volume(x)}/metadata`),
    {
      sample: `${C}/volumes/volume-metadata-show-response.json`,
      ignore: METADATA,
    },
  ),
  row(
    "block-storage",
    "POST /v3/{project_id}/volumes/{volume_id}/metadata",
    200,
    (x) => ({ ...v3(x, `/volumes/${volume(x)}/metadata`), body: { metadata: { name: "metadata0" } } }),
    { sample: `${C}/volumes/volume-metadata-create-response.json`, ignore: METADATA },
  ),
  row(
    "block-storage",
    "PUT /v3/{project_id}/volumes/{volume_id}/metadata",
    200,
    (x) => ({ ...v3(x, `/volumes/${volume(x)}/metadata`), body: { metadata: { name: "metadata1" } } }),
    { sample: `${C}/volumes/volume-metadata-update-response.json`, ignore: METADATA },
  ),
  row(
    "block-storage",
    "DELETE /v3/{project_id}/volumes/{volume_id}/metadata/{key}",
    200,
    (x) => v3(x, `/volumes/${volume(x)}/metadata/purpose`),
    { noSample: "200 without a body" },
  ),
  row(
    "block-storage",
    "POST /v3/{project_id}/snapshots",
    202,
    async (x) => ({
      ...v3admin(x, "/snapshots"),
      body: { snapshot: { volume_id: await adminVolume(x), name: x.name("snap"), metadata: { key: "v" } } },
    }),
    {
      as: "admin",
      mv: "3.65",
      sample: `${C}/snapshots/v3.65/snapshot-create-response.json`,
      ignore: ["snapshot.metadata.*"],
    },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/snapshots",
    200,
    async (x) => {
      await snapshot(x);
      return v3admin(x, "/snapshots");
    },
    {
      as: "admin",
      sample: `${C}/snapshots/snapshots-list-response.json`,
      ignore: ["snapshots[].metadata.*"],
    },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/snapshots/detail",
    200,
    async (x) => {
      await snapshot(x);
      return v3admin(x, "/snapshots/detail");
    },
    {
      as: "admin",
      mv: "3.65",
      sample: `${C}/snapshots/v3.65/snapshots-list-detailed-response.json`,
      ignore: ["snapshots[].metadata.*"],
    },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/snapshots/{snapshot_id}",
    200,
    async (x) => v3admin(x, `/snapshots/${await snapshot(x)}`),
    {
      as: "admin",
      mv: "3.65",
      sample: `${C}/snapshots/v3.65/snapshot-show-response.json`,
      ignore: ["snapshot.metadata.*"],
    },
  ),
  row(
    "block-storage",
    "PUT /v3/{project_id}/snapshots/{snapshot_id}",
    200,
    async (x) => ({
      ...v3admin(x, `/snapshots/${await snapshot(x)}`),
      body: { snapshot: { name: "renamed" } },
    }),
    {
      as: "admin",
      mv: "3.65",
      sample: `${C}/snapshots/v3.65/snapshot-update-response.json`,
      ignore: ["snapshot.metadata.*"],
    },
  ),
  row(
    "block-storage",
    "DELETE /v3/{project_id}/snapshots/{snapshot_id}",
    202,
    async (x) => v3admin(x, `/snapshots/${await snapshot(x)}`),
    { as: "admin", noSample: "202 without a body" },
  ),
  row("block-storage", "GET /v3/{project_id}/types", 200, (x) => v3admin(x, "/types"), {
    as: "admin",
    sample: `${C}/volume_type/volume-types-list-response.json`,
    // Extra specs are free-form: the samples' keys are examples.
    ignore: ["volume_types[].extra_specs"],
  }),
  row("block-storage", "GET /v3/{project_id}/types/default", 200, (x) => v3(x, "/types/default"), {
    sample: `${C}/volume_type/volume-type-default-response.json`,
    ignore: ["volume_type.extra_specs"],
  }),
  row(
    "block-storage",
    "GET /v3/{project_id}/types/{type_id}",
    200,
    async (x) => {
      const types = await x.demo.call("GET", `/volume/v3/${x.demo.projectId}/types`);
      return v3(x, `/types/${((types.body as Json).volume_types as Json[])[0]!.id}`);
    },
    { sample: `${C}/volume_type/volume-type-show-response.json`, ignore: ["volume_type.extra_specs"] },
  ),
  row("block-storage", "GET /v3/{project_id}/limits", 200, (x) => v3(x, "/limits"), {
    sample: `${C}/limits/limits-show-response.json`,
  }),
  row(
    "block-storage",
    "GET /v3/{project_id}/os-availability-zone",
    200,
    (x) => v3(x, "/os-availability-zone"),
    {
      sample: `${C}/availability-zone-list-response.json`,
    },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/os-quota-sets/{target}",
    200,
    (x) => v3(x, `/os-quota-sets/${x.demo.projectId}`),
    { sample: `${C}/quota_sets/quotas-show-response.json`, exceptions: PER_TYPE },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/os-quota-sets/{target}/defaults",
    200,
    (x) => v3(x, `/os-quota-sets/${x.demo.projectId}/defaults`),
    { sample: `${C}/quota_sets/quotas-show-defaults-response.json`, exceptions: PER_TYPE },
  ),
  row(
    "block-storage",
    "POST /v3/{project_id}/attachments",
    200,
    (x) => ({
      ...v3(x, "/attachments"),
      body: {
        attachment: {
          volume_uuid: volume(x),
          instance_uuid: x.sim.admin.state.world.ids.uuid(),
          connector: CONNECTOR,
        },
      },
    }),
    { mv: "3.54", sample: `${C}/attachment-create-response.json`, ignore: CONNECTION },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/attachments",
    200,
    async (x) => {
      await attachment(x);
      return v3(x, "/attachments");
    },
    { mv: "3.54", sample: `${C}/attachment-list-response.json` },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/attachments/detail",
    200,
    async (x) => {
      await attachment(x);
      return v3(x, "/attachments/detail");
    },
    { mv: "3.54", sample: `${C}/attachment-list-detailed-response.json`, ignore: CONNECTION },
  ),
  row(
    "block-storage",
    "GET /v3/{project_id}/attachments/{attachment_id}",
    200,
    async (x) => v3(x, `/attachments/${await attachment(x)}`),
    { mv: "3.54", sample: `${C}/attachment-show-response.json`, ignore: CONNECTION },
  ),
  row(
    "block-storage",
    "PUT /v3/{project_id}/attachments/{attachment_id}",
    200,
    async (x) => ({
      ...v3(x, `/attachments/${await attachment(x)}`),
      body: { attachment: { connector: CONNECTOR } },
    }),
    { mv: "3.54", sample: `${C}/attachment-update-response.json`, ignore: CONNECTION },
  ),
  row(
    "block-storage",
    "POST /v3/{project_id}/attachments/{attachment_id}/action",
    204,
    async (x) => {
      const id = await attachment(x);
      await x.demo.call(
        "PUT",
        `/volume/v3/${x.demo.projectId}/attachments/${id}`,
        {
          attachment: { connector: CONNECTOR },
        },
        { "OpenStack-API-Version": "volume 3.54" },
      );
      return { ...v3(x, `/attachments/${id}/action`), body: { "os-complete": {} } };
    },
    { mv: "3.54", noSample: "204 without a body (os_complete)" },
  ),
  row(
    "block-storage",
    "DELETE /v3/{project_id}/attachments/{attachment_id}",
    200,
    async (x) => v3(x, `/attachments/${await attachment(x)}`),
    { mv: "3.54", noSample: "cinder answers the detach with an empty body" },
  ),
];

import { type FidelityContext, type FidelityRow, row } from "./types.js";

const G = "glance/v2/samples";
const g2 = (path: string) => ({ path: `/image/v2${path}` });
const PATCH = { "content-type": "application/openstack-images-v2.1-json-patch" };
const OCTETS = { "content-type": "application/octet-stream" };
/** `locations` shows only with show_multiple_locations, which devstack leaves off. */
const LOCATIONS = "glance shows locations only with show_multiple_locations, which devstack leaves off";

/** A queued image of demo's (tagged, so that `tags` has an item to compare); returns its id. */
async function image(x: FidelityContext, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await x.demo.call("POST", "/image/v2/images", {
    name: x.name("img"),
    disk_format: "raw",
    container_format: "bare",
    tags: ["fidelity"],
    ...extra,
  });
  if (res.status !== 201) throw new Error(`image create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** An active image of demo's with data. */
async function activeImage(x: FidelityContext): Promise<string> {
  const id = await image(x);
  const res = await fetch(`${x.sim.url}/image/v2/images/${id}/file`, {
    method: "PUT",
    headers: { "x-auth-token": x.demo.token, ...OCTETS },
    body: "fidelity image bytes",
  });
  if (res.status !== 204) throw new Error(`image upload failed: ${res.status}`);
  return id;
}

/** A shared image of demo's with the admin project as a member; returns [image, member]. */
async function member(x: FidelityContext): Promise<[string, string]> {
  const id = await image(x, { visibility: "shared" });
  await x.demo.call("POST", `/image/v2/images/${id}/members`, { member: x.admin.projectId });
  return [id, x.admin.projectId];
}

/** An import task (from an object in demo's object store); returns its id. */
async function task(x: FidelityContext): Promise<string> {
  const acct = `/object-store/v1/AUTH_${x.demo.projectId}`;
  await x.demo.call("PUT", `${acct}/images`);
  await fetch(`${x.sim.url}${acct}/images/disk.qcow2`, {
    method: "PUT",
    headers: { "x-auth-token": x.demo.token },
    body: "data",
  });
  const res = await x.demo.call("POST", "/image/v2/tasks", taskBody(x));
  return (res.body as { id: string }).id;
}

function taskBody(x: FidelityContext) {
  return {
    type: "import",
    input: {
      import_from: "images/disk.qcow2",
      import_from_format: "qcow2",
      image_properties: { name: x.name("t"), container_format: "bare", disk_format: "qcow2" },
    },
  };
}

const V1 = "glance's api-ref has no v1 samples (v1 was removed in Rocky)";
const kilo = { profile: "kilo" as const };

/** glance v2 (every profile) and v1 (the Kilo-era profiles). */
export const IMAGE_ROWS: readonly FidelityRow[] = [
  row("image", "GET /", 300, () => ({ path: "/image/" }), {
    as: "none",
    sample: "glance/versions/samples/image-versions-response.json",
  }),
  row("image", "GET /versions", 200, () => ({ path: "/image/versions" }), {
    as: "none",
    sample: "glance/versions/samples/image-versions-response.json",
  }),
  row(
    "image",
    "GET /v2/images",
    200,
    async (x) => {
      // Filtered by name: other rows' snapshots carry free-form properties (data, not shape).
      const id = await image(x);
      const name = x.sim.admin.state.world.images.get(id)!.name;
      return g2(`/images?name=${name}`);
    },
    { sample: `${G}/images-list-response.json` },
  ),
  row("image", "GET /v2/images/{image_id}", 200, async (x) => g2(`/images/${await image(x)}`), {
    sample: `${G}/image-show-response.json`,
  }),
  row(
    "image",
    "POST /v2/images",
    201,
    (x) => ({
      ...g2("/images"),
      body: { name: x.name("img"), disk_format: "raw", container_format: "bare", tags: ["a"] },
    }),
    { sample: `${G}/image-create-response.json`, exceptions: { locations: LOCATIONS } },
  ),
  row(
    "image",
    "PATCH /v2/images/{image_id}",
    200,
    async (x) => ({
      ...g2(`/images/${await image(x)}`),
      headers: PATCH,
      raw: JSON.stringify([{ op: "replace", path: "/name", value: "renamed" }]),
    }),
    { sample: `${G}/image-update-response.json` },
  ),
  row("image", "DELETE /v2/images/{image_id}", 204, async (x) => g2(`/images/${await image(x)}`), {
    noSample: "204 without a body",
  }),
  row(
    "image",
    "PUT /v2/images/{image_id}/file",
    204,
    async (x) => ({
      ...g2(`/images/${await image(x)}/file`),
      headers: OCTETS,
      raw: "bytes",
    }),
    { noSample: "204 without a body" },
  ),
  row(
    "image",
    "GET /v2/images/{image_id}/file",
    200,
    async (x) => g2(`/images/${await activeImage(x)}/file`),
    {
      noSample: "the image's bytes",
    },
  ),
  row(
    "image",
    "PUT /v2/images/{image_id}/stage",
    204,
    async (x) => ({
      ...g2(`/images/${await image(x)}/stage`),
      headers: OCTETS,
      raw: "bytes",
    }),
    { noSample: "204 without a body" },
  ),
  row(
    "image",
    "POST /v2/images/{image_id}/import",
    202,
    async (x) => {
      const id = await image(x);
      await fetch(`${x.sim.url}/image/v2/images/${id}/stage`, {
        method: "PUT",
        headers: { "x-auth-token": x.demo.token, ...OCTETS },
        body: "bytes",
      });
      return { ...g2(`/images/${id}/import`), body: { method: { name: "glance-direct" } } };
    },
    { noSample: "202 without a body" },
  ),
  row(
    "image",
    "PUT /v2/images/{image_id}/tags/{tag}",
    204,
    async (x) => g2(`/images/${await image(x)}/tags/t`),
    {
      noSample: "204 without a body",
    },
  ),
  row(
    "image",
    "DELETE /v2/images/{image_id}/tags/{tag}",
    204,
    async (x) => g2(`/images/${await image(x)}/tags/fidelity`),
    { noSample: "204 without a body" },
  ),
  row(
    "image",
    "POST /v2/images/{image_id}/actions/deactivate",
    204,
    async (x) => g2(`/images/${await activeImage(x)}/actions/deactivate`),
    { as: "admin", noSample: "204 without a body" },
  ),
  row(
    "image",
    "POST /v2/images/{image_id}/actions/reactivate",
    204,
    async (x) => {
      const id = await activeImage(x);
      await x.admin.call("POST", `/image/v2/images/${id}/actions/deactivate`);
      return g2(`/images/${id}/actions/reactivate`);
    },
    { as: "admin", noSample: "204 without a body" },
  ),
  row(
    "image",
    "POST /v2/images/{image_id}/members",
    200,
    async (x) => ({
      ...g2(`/images/${await image(x, { visibility: "shared" })}/members`),
      body: { member: x.admin.projectId },
    }),
    { sample: `${G}/image-member-create-response.json` },
  ),
  row(
    "image",
    "GET /v2/images/{image_id}/members",
    200,
    async (x) => g2(`/images/${(await member(x))[0]}/members`),
    { sample: `${G}/image-members-list-response.json` },
  ),
  row(
    "image",
    "GET /v2/images/{image_id}/members/{member_id}",
    200,
    async (x) => g2(`/images/${(await member(x)).join("/members/")}`),
    { sample: `${G}/image-member-details-response.json` },
  ),
  row(
    "image",
    "PUT /v2/images/{image_id}/members/{member_id}",
    200,
    async (x) => ({ ...g2(`/images/${(await member(x)).join("/members/")}`), body: { status: "accepted" } }),
    { as: "admin", sample: `${G}/image-member-update-response.json` },
  ),
  row(
    "image",
    "DELETE /v2/images/{image_id}/members/{member_id}",
    204,
    async (x) => g2(`/images/${(await member(x)).join("/members/")}`),
    { noSample: "204 without a body" },
  ),
  row("image", "GET /v2/info/import", 200, () => g2("/info/import"), {
    sample: `${G}/image-info-import-response.json`,
  }),
  row("image", "GET /v2/info/stores", 200, () => g2("/info/stores"), {
    sample: `${G}/stores-list-response.json`,
    exceptions: {
      "stores[].default": "glance marks its default store (the sample's second store has the key)",
    },
  }),
  row("image", "GET /v2/schemas/image", 200, () => g2("/schemas/image"), {
    sample: `${G}/schemas-image-show-response.json`,
  }),
  row("image", "GET /v2/schemas/images", 200, () => g2("/schemas/images"), {
    sample: `${G}/schemas-images-list-response.json`,
    exceptions: {
      "properties.images.items.properties.locations.items.properties.validation_data":
        "the list schema embeds the image schema, whose sample has validation_data; this one predates it",
    },
  }),
  row("image", "GET /v2/schemas/task", 200, () => g2("/schemas/task"), {
    sample: `${G}/schemas-task-show-response.json`,
  }),
  row("image", "GET /v2/schemas/tasks", 200, () => g2("/schemas/tasks"), {
    sample: `${G}/schemas-tasks-list-response.json`,
  }),
  row("image", "POST /v2/tasks", 201, (x) => ({ ...g2("/tasks"), body: taskBody(x) }), {
    sample: `${G}/task-create-response.json`,
    // The task's input is the caller's (image properties are data, not shape).
    ignore: ["input.image_properties.*"],
  }),
  row(
    "image",
    "GET /v2/tasks",
    200,
    async (x) => {
      await task(x);
      return g2("/tasks");
    },
    {
      sample: `${G}/tasks-list-response.json`,
      exceptions: {
        "tasks[].expires_at": "tasks that ended have expires_at (the show-success sample has it)",
      },
    },
  ),
  row(
    "image",
    "GET /v2/tasks/{task_id}",
    200,
    async (x) => {
      const id = await task(x);
      x.sim.admin.state.world.finish("image");
      return g2(`/tasks/${id}`);
    },
    { sample: `${G}/task-show-success-response.json`, ignore: ["input.image_properties.*"] },
  ),
  row("image", "GET /v1/images", 200, () => ({ path: "/image/v1/images" }), { ...kilo, noSample: V1 }),
  row("image", "GET /v1/images/detail", 200, () => ({ path: "/image/v1/images/detail" }), {
    ...kilo,
    noSample: V1,
  }),
  row("image", "GET /v1/images/{image_id}", 200, (x) => ({ path: `/image/v1/images/${x.image}` }), {
    ...kilo,
    noSample: V1,
  }),
  row(
    "image",
    "POST /v1/images",
    201,
    (x) => ({
      path: "/image/v1/images",
      headers: { "x-image-meta-name": x.name("v1"), "x-image-meta-disk_format": "raw", ...OCTETS },
      raw: "",
    }),
    { ...kilo, noSample: V1 },
  ),
  row(
    "image",
    "PUT /v1/images/{image_id}",
    200,
    async (x) => ({
      path: `/image/v1/images/${await image(x)}`,
      headers: { "x-image-meta-name": "renamed" },
    }),
    { ...kilo, noSample: V1 },
  ),
  row(
    "image",
    "DELETE /v1/images/{image_id}",
    200,
    async (x) => ({ path: `/image/v1/images/${await image(x)}` }),
    {
      ...kilo,
      noSample: V1,
    },
  ),
];

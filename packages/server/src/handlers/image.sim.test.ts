import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { listCloudConfigsFromDisk } from "@oaktree/core";
import { type ProfileName, startSimulator } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { CloudRegistry } from "../clouds.js";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import { type CreateImageResponse, ImageService } from "../gen/oaktree/v1/image_pb.js";
import { drain, failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { createHandlers } from "./index.js";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Deterministic image bytes (so that the checksum is known). */
function bytesOf(size: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  return data;
}

/** The CreateImage request stream: the spec first, then the data in 64 KiB chunks. */
async function* upload(spec: Record<string, unknown>, data: Uint8Array) {
  yield { spec };
  for (let at = 0; at < data.length; at += CHUNK) yield { data: data.subarray(at, at + CHUNK) };
}

/**
 * A SimServer whose clouds.yaml has `settings` in each cloud, as a user of that cloud writes
 * them (`image_api_version: 1` for glance v1, or `image_api_use_tasks: false` on Rackspace):
 * createHandlers on its own registry.
 */
async function startConfigured(profile: ProfileName, settings: Record<string, unknown>): Promise<SimServer> {
  const sim = await startSimulator({ profile });
  const dir = mkdtempSync(join(tmpdir(), "oaktree-glance-v1-"));
  const path = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  const config = parse(readFileSync(path, "utf8")) as { clouds: Record<string, Record<string, unknown>> };
  for (const cloud of Object.values(config.clouds)) Object.assign(cloud, settings);
  writeFileSync(path, stringify(config));
  const configs = await listCloudConfigsFromDisk({
    env: { OS_CLIENT_CONFIG_FILE: path },
    cwd: dir,
    home: dir,
  });
  const clouds = new CloudRegistry({ configs, defaultCloud: "sim", cloudOptions: { pollIntervalMs: 50 } });
  const transport = createRouterTransport((router) => {
    for (const { service, impl } of createHandlers({ clouds })) router.service(service, impl);
  });
  return {
    sim,
    clouds,
    transport,
    client: (service) => createClient(service, transport),
    async close() {
      await clouds.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Each profile's image service: v2 PUT (modern), v1 POST (kilo with v1), task import (rackspace). */
const PROFILES = {
  modern: {
    start: () => startSimServer("modern"),
    diskFormat: "raw",
    dataRoutes: ["image PUT /images/{image_id}/file"],
  },
  "kilo (glance v1)": {
    start: () => startConfigured("kilo", { image_api_version: "1" }),
    diskFormat: "qcow2",
    dataRoutes: ["image PUT /images/{image_id}"],
  },
  kilo: {
    start: () => startSimServer("kilo"),
    diskFormat: "qcow2",
    dataRoutes: ["image PUT /images/{image_id}/file"],
  },
  "rackspace (task import)": {
    // The simulator's clouds.yaml has Rackspace's vendor setting, image_api_use_tasks: true.
    start: () => startSimServer("rackspace"),
    diskFormat: "vhd",
    dataRoutes: ["object-store PUT /{account}/{container}/{object}", "image POST /tasks"],
  },
} as const;

const uploadRoutes = (server: SimServer) =>
  server.sim.admin
    .log()
    .filter((entry) => ["image", "object-store"].includes(entry.service) && entry.method !== "GET")
    .map((entry) => `${entry.service} ${entry.route}`);

describe.each(Object.keys(PROFILES) as (keyof typeof PROFILES)[])("ImageService on %s", (profile) => {
  const { start, diskFormat, dataRoutes } = PROFILES[profile];
  it("CreateImage streams 3 MiB in chunks: UPLOADING with bytes_done, PROCESSING, DONE with the active image", async () => {
    s = await start();
    const client = s.client(ImageService);
    const data = bytesOf(3 * MiB);
    const events: CreateImageResponse[] = await drain(
      client.createImage(upload({ name: `up-${profile}`, diskFormat, size: BigInt(data.length) }, data)),
    );
    // Each cloud's own way: v2 PUT of the file, v1 PUT of the image, or a swift object and a task.
    expect(uploadRoutes(s)).toEqual(expect.arrayContaining([...dataRoutes]));
    const stages = events.map((event) => event.progress?.stage);
    expect(stages).toContain(Stage.UPLOADING);
    expect(stages.at(-1)).toBe(Stage.DONE);
    const uploading = events.filter((event) => event.progress?.stage === Stage.UPLOADING);
    const counts = uploading.map((event) => Number(event.progress?.bytesDone));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(data.length);
    // Pulled as the cloud reads: progress comes in steps, not once the whole image is in memory.
    expect(counts.length).toBeGreaterThan(1);
    expect(stages.indexOf(Stage.PROCESSING)).toBeGreaterThan(stages.lastIndexOf(Stage.UPLOADING));
    const done = events.at(-1) as CreateImageResponse;
    expect(done.existing).toBe(false);
    expect(done.image?.status).toBe("active");
    expect(done.image?.name).toBe(`up-${profile}`);
    expect(Number(done.image?.size)).toBe(data.length);
    expect(done.image?.checksum).toBe(createHash("md5").update(data).digest("hex"));

    // The image is there for get, list with filters, and delete.
    const got = await client.getImage({ nameOrId: `up-${profile}` });
    expect(got.image?.id).toBe(done.image?.id);
    const listed = await client.listImages({ filter: { fields: { name: `up-${profile}` } } });
    expect(listed.images.map((image) => image.id)).toEqual([done.image?.id]);
    const byJmes = await client.listImages({
      filter: { jmespath: `[?disk_format=='${diskFormat}' && status=='active']` },
    });
    expect(byJmes.images.map((image) => image.id)).toContain(done.image?.id);
    await client.deleteImage({ nameOrId: done.image?.id ?? "" });
    const gone = await failure(() => client.getImage({ nameOrId: `up-${profile}` }));
    expect(gone.code).toBe(Code.NotFound);
  });

  it("a disk format the cloud refuses is INVALID_ARGUMENT naming spec.disk_format, before any upload", async () => {
    s = await start();
    s.sim.admin.reset();
    const error = await failure(() =>
      drain(
        s!
          .client(ImageService)
          .createImage(upload({ name: "bad", diskFormat: "floppy" }, bytesOf(CHUNK * 3))),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe("spec.disk_format");
    expect(uploadRoutes(s)).toEqual([]);
  });
});

describe("CreateImage", () => {
  it("a stream without a spec is INVALID_ARGUMENT naming spec, with no cloud call", async () => {
    s = await startSimServer("modern");
    s.sim.admin.reset();
    const client = s.client(ImageService);
    const empty = await failure(() => drain(client.createImage((async function* () {})())));
    expect(empty.code).toBe(Code.InvalidArgument);
    expect(violatedField(empty)).toBe("spec");
    const dataFirst = await failure(() =>
      drain(
        client.createImage(
          (async function* () {
            yield { data: bytesOf(10) };
          })(),
        ),
      ),
    );
    expect(violatedField(dataFirst)).toBe("spec");
    const noName = await failure(() => drain(client.createImage(upload({ diskFormat: "raw" }, bytesOf(10)))));
    expect(violatedField(noName)).toBe("spec.name");
    expect(s.sim.admin.log()).toEqual([]);
  });

  it("with the checksum of an active image of that name, answers it as existing without uploading", async () => {
    s = await startSimServer("modern");
    const client = s.client(ImageService);
    const data = bytesOf(CHUNK * 4);
    const checksum = createHash("md5").update(data).digest("hex");
    const first = (
      await drain(client.createImage(upload({ name: "dedup", diskFormat: "raw", checksum }, data)))
    ).at(-1);
    s.sim.admin.reset();
    const second = (
      await drain(client.createImage(upload({ name: "dedup", diskFormat: "raw", checksum }, data)))
    ).at(-1);
    expect(second?.existing).toBe(true);
    expect(second?.image?.id).toBe(first?.image?.id);
    expect(uploadRoutes(s)).toEqual([]);
  });

  it("UpdateImage sets and removes properties; nothing to change is INVALID_ARGUMENT", async () => {
    s = await startSimServer("modern");
    const client = s.client(ImageService);
    const made = (
      await drain(client.createImage(upload({ name: "props", diskFormat: "raw" }, bytesOf(10))))
    ).at(-1);
    const set = await client.updateImage({ nameOrId: "props", setProperties: { os_distro: "cirros" } });
    expect(set.image?.properties?.os_distro).toBe("cirros");
    const removed = await client.updateImage({
      nameOrId: made?.image?.id ?? "",
      removeProperties: ["os_distro"],
    });
    expect(removed.image?.properties?.os_distro).toBeUndefined();
    const nothing = await failure(() => client.updateImage({ nameOrId: "props" }));
    expect(violatedField(nothing)).toBe("set_properties");
    // A core attribute is not a property (core's rule), named by the proto's field path.
    const core = await failure(() =>
      client.updateImage({ nameOrId: "props", setProperties: { min_ram: "1" } }),
    );
    expect(core.code).toBe(Code.InvalidArgument);
    expect(violatedField(core)).toBe("set_properties.min_ram");
  });
});

describe("CreateImage on a cloud that refuses direct uploads without saying so", () => {
  it("fails the stream with UNAVAILABLE saying to retry, and the reissued stream goes by the method the cloud takes", async () => {
    // Rackspace without the vendor profile's image_api_use_tasks: v2-put comes first.
    s = await startConfigured("rackspace", { image_api_use_tasks: false });
    const client = s.client(ImageService);
    const data = bytesOf(CHUNK * 2);
    const refused = await failure(() =>
      drain(client.createImage(upload({ name: "retry", diskFormat: "vhd" }, data))),
    );
    expect(refused.message).toMatch(/retry/);
    // Retryable: UNAVAILABLE, not the refusal's (403) PERMISSION_DENIED.
    expect(refused.code).toBe(Code.Unavailable);
    const events = await drain(client.createImage(upload({ name: "retry", diskFormat: "vhd" }, data)));
    expect(events.at(-1)?.image?.status).toBe("active");
  });
});

describe("CreateImage cancelled mid-upload", () => {
  it("leaves no image behind: core deletes the queued record it made", async () => {
    s = await startSimServer("modern");
    const server = s;
    const call = new AbortController();
    let sent = 0;
    async function* slow() {
      yield { spec: { name: "half", diskFormat: "raw" } };
      for (;;) {
        yield { data: bytesOf(CHUNK) };
        sent += 1;
        if (sent === 8) call.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const error = await failure(() =>
      drain(server.client(ImageService).createImage(slow(), { signal: call.signal })),
    );
    expect(error.code).toBe(Code.Canceled);
    const cloud = await server.clouds.resolve(undefined);
    await expect
      .poll(async () => (await cloud.listImages()).filter((image) => image.name === "half").length, {
        timeout: 5000,
      })
      .toBe(0);
    // It did get as far as creating the record (so the cleanup is what removed it).
    expect(
      server.sim.admin.log().some((entry) => entry.service === "image" && entry.route === "POST /images"),
    ).toBe(true);
  });
});

describe("CreateImage with spec.size", () => {
  it.each([
    ["fewer", 2],
    ["more", 4],
  ] as const)(
    "%s bytes than announced is INVALID_ARGUMENT naming spec.size, and no image is left",
    async (_, chunks) => {
      s = await startSimServer("modern");
      const client = s.client(ImageService);
      const data = bytesOf(CHUNK * chunks);
      const error = await failure(() =>
        drain(
          client.createImage(upload({ name: "sized", diskFormat: "raw", size: BigInt(CHUNK * 3) }, data)),
        ),
      );
      expect(error.code).toBe(Code.InvalidArgument);
      expect(violatedField(error)).toBe("spec.size");
      const cloud = await s.clouds.resolve(undefined);
      expect((await cloud.listImages()).filter((image) => image.name === "sized")).toEqual([]);
    },
  );
});

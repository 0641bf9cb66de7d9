import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import { VolumeService } from "../gen/oaktree/v1/volume_pb.js";
import { drain, failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("VolumeService on modern", () => {
  it("CreateVolume streams to an available volume; get, list, attach, detach, delete with wait", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 20 } });
    const client = s.client(VolumeService);
    const events = await drain(client.createVolume({ name: "data", size: 2, metadata: { app: "db" } }));
    const stages = events.map((event) => event.progress?.stage);
    expect(stages[0]).toBe(Stage.ACCEPTED);
    // The cloud accepted it: the volume exists (creating), with its id, before it is available.
    expect(stages[1]).toBe(Stage.BUILDING);
    expect(events[1]?.volume).toMatchObject({ name: "data", status: "creating" });
    expect(events[1]?.volume?.id).toBe(events.at(-1)?.volume?.id);
    expect(stages.at(-1)).toBe(Stage.DONE);
    const volume = events.at(-1)?.volume;
    expect(volume).toMatchObject({ name: "data", size: 2, status: "available", metadata: { app: "db" } });
    expect(events.at(-1)?.progress?.cloudStatus).toBe("available");

    expect((await client.getVolume({ nameOrId: "data" })).volume?.id).toBe(volume?.id);
    const listed = await client.listVolumes({ filter: { fields: { "metadata.app": "db" } } });
    expect(listed.volumes.map((v) => v.id)).toEqual([volume?.id]);

    const cloud = await s.clouds.resolve(undefined);
    const { server } = await cloud.createServer({
      name: "vol-host",
      image: "cirros-0.6.2-x86_64-disk",
      flavor: "m1.tiny",
      autoIp: false,
    });
    const attached = await client.attachVolume({ volume: "data", server: "vol-host" });
    expect(attached.volume?.status).toBe("in-use");
    expect(attached.volume?.attachments.map((a) => a.serverId)).toEqual([server.id]);
    const detached = await client.detachVolume({ volume: "data", server: "vol-host" });
    expect(detached.volume?.status).toBe("available");

    await client.deleteVolume({ nameOrId: "data" });
    // With wait (the default) the volume is gone when DeleteVolume returns.
    expect((await failure(() => client.getVolume({ nameOrId: "data" }))).code).toBe(Code.NotFound);
    expect((await failure(() => client.deleteVolume({ nameOrId: "data" }))).code).toBe(Code.NotFound);
  });

  it("CreateVolume with wait false ends at once with the volume as the cloud answered", async () => {
    s = await startSimServer("modern");
    const events = await drain(s.client(VolumeService).createVolume({ name: "quick", size: 1, wait: false }));
    expect(events.at(-1)?.progress?.stage).toBe(Stage.DONE);
    expect(events.at(-1)?.volume?.id).toBeTruthy();
  });

  it("CreateVolume from an image by name makes a bootable volume; a missing image is NOT_FOUND", async () => {
    s = await startSimServer("modern", { simulator: { buildDelayMs: 20 } });
    const client = s.client(VolumeService);
    const events = await drain(
      client.createVolume({ name: "boot", size: 1, image: "cirros-0.6.2-x86_64-disk" }),
    );
    expect(events.at(-1)?.volume).toMatchObject({ status: "available", isBootable: true });
    const missing = await failure(() => drain(client.createVolume({ size: 1, image: "no-such-image" })));
    expect(missing.code).toBe(Code.NotFound);
  });

  it.each([
    ["CreateVolume without size or snapshot_id", { name: "v" }, "size"],
    ["CreateVolume with a negative size", { name: "v", size: -1, snapshotId: "x" }, "size"],
    ["CreateVolume from an image and a snapshot", { size: 1, image: "cirros", snapshotId: "x" }, "image"],
    ["CreateVolume with a negative timeout", { size: 1, timeoutSeconds: -5 }, "timeout_seconds"],
  ] as const)("%s is INVALID_ARGUMENT naming its field, with no cloud call", async (_, request, field) => {
    s = await startSimServer("modern");
    s.sim.admin.reset();
    const error = await failure(() => drain((s as SimServer).client(VolumeService).createVolume(request)));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe(field);
    expect(s.sim.admin.log()).toEqual([]);
  });

  it("AttachVolume without server is INVALID_ARGUMENT naming server", async () => {
    s = await startSimServer("modern");
    const error = await failure(() => (s as SimServer).client(VolumeService).attachVolume({ volume: "v" }));
    expect(violatedField(error)).toBe("server");
  });
});

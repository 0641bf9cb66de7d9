import { describe, expect, it } from "vitest";
import type { FlavorWire } from "../services/compute/v2/flavors/wire.js";
import type { KeypairWire } from "../services/compute/v2/keypairs/wire.js";
import type { LimitsWire } from "../services/compute/v2/limits/wire.js";
import type { ServerGroupWire } from "../services/compute/v2/server-groups/wire.js";
import type { VolumeAttachmentWire } from "../services/compute/v2/servers/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import { type Flavor, normalizeFlavor } from "./flavor.js";
import { normalizeKeypair } from "./keypair.js";
import { normalizeLimits } from "./limits.js";
import type { NormalizeContext } from "./location.js";
import { normalizeServerGroup } from "./server-group.js";
import { normalizeVolumeAttachment } from "./volume-attachment.js";

const ctx: NormalizeContext = { cloud: "c", region: "r", project: { id: "p", name: "demo" } };
const location = { cloud: "c", region: "r", project: { id: "p", name: "demo" } };

/** Every object under `one` or in the list `many` of every response sample under `folder`. */
function objects<T>(folder: string, one: string, many: string): [string, T][] {
  const found: [string, T][] = [];
  for (const path of fixtureFiles(folder, /-resp\.json$/)) {
    const body = fixture<Record<string, unknown>>(path);
    if (body[one]) found.push([path, body[one] as T]);
    for (const item of (body[many] as T[] | undefined) ?? []) found.push([path, item]);
  }
  return found;
}

describe("normalizeFlavor", () => {
  const samples = objects<FlavorWire>("compute/flavors", "flavor", "flavors").filter(([, f]) => "vcpus" in f);
  it.each(samples)("%s", (_path, wire) => {
    const flavor = normalizeFlavor(wire, ctx);
    expect(flavor.id).toBe(wire.id);
    expect(typeof flavor.swap).toBe("number");
    expect(flavor.ram).toBe(wire.ram);
    expect(Object.keys(flavor.properties).filter((k) => k.startsWith("OS-") || k.startsWith("os-"))).toEqual(
      [],
    );
  });

  it('base sample flavor 1 (swap as "") and v2.75 flavor 7 with extra specs and description', () => {
    const base = fixture<{ flavors: FlavorWire[] }>("compute/flavors/flavors-detail-resp.json").flavors[0]!;
    const expected: Flavor = {
      location,
      id: "1",
      name: "m1.tiny",
      vcpus: 1,
      ram: 512,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      rxtxFactor: 1,
      isPublic: true,
      isDisabled: false,
      extraSpecs: {},
      properties: {},
    };
    expect(base.swap).toBe("");
    expect(normalizeFlavor(base, ctx)).toEqual(expected);
    const v275 = fixture<{ flavor: FlavorWire }>("compute/flavors/v2.75/flavor-get-resp.json").flavor;
    expect(normalizeFlavor(v275, ctx)).toEqual({
      location,
      id: "7",
      name: "m1.small.description",
      vcpus: 1,
      ram: 2048,
      disk: 20,
      ephemeral: 0,
      swap: 0,
      rxtxFactor: 1,
      isPublic: true,
      isDisabled: false,
      extraSpecs: { "hw:cpu_policy": "shared", "hw:numa_nodes": "1" },
      description: "test description",
      properties: {},
    });
  });
});

describe("normalizeKeypair", () => {
  const samples = objects<{ keypair?: KeypairWire } & KeypairWire>(
    "compute/os-keypairs",
    "keypair",
    "keypairs",
  ).map(([path, k]) => [path, k.keypair ?? k] as [string, KeypairWire]);
  it.each(samples)("%s", (_path, wire) => {
    const keypair = normalizeKeypair(wire, ctx);
    expect([keypair.id, keypair.name]).toEqual([wire.name, wire.name]);
    expect(keypair.type).toBe(wire.type ?? "ssh");
  });

  it("v2.10 get sample", () => {
    const wire = fixture<{ keypair: KeypairWire }>(
      "compute/os-keypairs/v2.10/keypairs-get-resp.json",
    ).keypair;
    expect(normalizeKeypair(wire, ctx)).toEqual({
      location,
      id: wire.name,
      name: wire.name,
      fingerprint: wire.fingerprint,
      publicKey: wire.public_key,
      type: "ssh",
      userId: "fake",
      createdAt: "2014-05-07T12:06:13.681238Z",
      properties: { deleted: false, deleted_at: null, id: 1, updated_at: null },
    });
  });
});

describe("normalizeServerGroup", () => {
  const samples = objects<ServerGroupWire>("compute/os-server-groups", "server_group", "server_groups");
  it.each(samples)("%s", (_path, wire) => {
    expect(normalizeServerGroup(wire, ctx).policy).toMatch(/affinity/);
  });

  it("one shape before and after 2.64", () => {
    const old = fixture<{ server_group: ServerGroupWire }>(
      "compute/os-server-groups/v2.13/server-groups-get-resp.json",
    );
    const modern = fixture<{ server_group: ServerGroupWire }>(
      "compute/os-server-groups/v2.64/server-groups-get-resp.json",
    );
    expect(normalizeServerGroup(modern.server_group, ctx)).toEqual({
      location: { cloud: "c", region: "r", project: { id: "6f70656e737461636b20342065766572" } },
      id: "5bbcc3c4-1da2-4437-a48a-66f15b1b13f9",
      name: "test",
      policy: "anti-affinity",
      rules: { max_server_per_host: 3 },
      members: [],
      userId: "fake",
      properties: {},
    });
    const normalized = normalizeServerGroup(old.server_group, ctx);
    expect([normalized.policy, normalized.rules]).toEqual(["anti-affinity", {}]);
    expect(normalized.properties).toEqual({ metadata: {} });
  });
});

describe("normalizeLimits", () => {
  it.each(fixtureFiles("compute/limits"))("%s", (path) => {
    const limits = normalizeLimits(fixture<{ limits: LimitsWire }>(path).limits, ctx);
    expect([limits.maxTotalInstances, limits.maxTotalCores, limits.maxTotalRamSize]).toEqual([10, 20, 51200]);
    expect(limits.rate).toEqual([]);
  });

  it("2.57 sample: network and personality entries gone, legacy rate limits flattened", () => {
    const wire = fixture<{ limits: LimitsWire }>("compute/limits/v2.57/limit-get-resp.json").limits;
    expect(normalizeLimits(wire, ctx)).toEqual({
      location,
      maxServerMeta: 128,
      maxServerGroupMembers: 10,
      maxServerGroups: 10,
      maxTotalCores: 20,
      maxTotalInstances: 10,
      maxTotalKeypairs: 100,
      maxTotalRamSize: 51200,
      totalCoresUsed: 0,
      totalInstancesUsed: 0,
      totalRamUsed: 0,
      totalServerGroupsUsed: 0,
      rate: [],
      properties: {},
    });
    const rate = normalizeLimits(
      {
        absolute: { maxPersonality: 5 },
        rate: [{ uri: "*", regex: ".*", limit: [{ verb: "POST", value: 10, remaining: 2, unit: "MINUTE" }] }],
      },
      ctx,
    );
    expect([rate.rate, rate.properties]).toEqual([
      [{ uri: "*", regex: ".*", verb: "POST", value: 10, remaining: 2, unit: "MINUTE" }],
      { maxPersonality: 5 },
    ]);
  });
});

describe("normalizeVolumeAttachment", () => {
  const samples = objects<VolumeAttachmentWire>(
    "compute/os-volume_attachments",
    "volumeAttachment",
    "volumeAttachments",
  );
  it.each(samples)("%s", (_path, wire) => {
    const attachment = normalizeVolumeAttachment(wire, ctx);
    expect(attachment.volumeId).toBe(wire.volumeId);
    expect(attachment.id).toBeTruthy();
  });

  it("2.89 list: the attachment id, tag and delete_on_termination", () => {
    const list = fixture<{ volumeAttachments: VolumeAttachmentWire[] }>(
      "compute/os-volume_attachments/v2.89/list-volume-attachments-resp.json",
    ).volumeAttachments;
    expect(list.map((a) => normalizeVolumeAttachment(a, ctx))).toEqual([
      {
        location,
        id: "979ce4f8-033a-409d-85e6-6b5c0f6a6302",
        serverId: "7696780b-3f53-4688-ab25-019bfcbbd806",
        volumeId: "227cc671-f30b-4488-96fd-7d0bf13648d8",
        device: "/dev/sdc",
        deleteOnTermination: false,
        properties: { bdm_uuid: "c088db45-92b8-49e8-81e2-a1b77a144b3b" },
      },
      {
        location,
        id: "c5684109-0311-4fca-9814-350e46ab7d2a",
        serverId: "7696780b-3f53-4688-ab25-019bfcbbd806",
        volumeId: "a07f71dc-8151-4e7d-a0cc-cd24a3f11113",
        device: "/dev/sdb",
        tag: "foo",
        deleteOnTermination: true,
        properties: { bdm_uuid: "1aa24536-6fb5-426c-8894-d627f39aa48b" },
      },
    ]);
  });
});

import { PROFILE_NAMES, type ProfileName } from "@oaktree/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { getCapabilities } from "./capabilities.js";
import { findFlavor } from "./flavors.js";
import { ensureNetwork } from "./get-me-a-network.js";
import { createImage } from "./image-upload.js";
import { deleteImage } from "./images.js";
import { createKeypair, deleteKeypair } from "./keypairs.js";
import {
  addSecurityGroupRule,
  createSecurityGroup,
  deleteSecurityGroup,
  getSecurityGroup,
} from "./security-groups.js";
import { createVolume, deleteVolume } from "./volumes.js";

const expected: Record<
  ProfileName,
  { floatingIps: string; securityGroups: string; gman: string; firstUpload: string; method: string }
> = {
  modern: {
    floatingIps: "neutron",
    securityGroups: "neutron",
    gman: "nova-auto",
    firstUpload: "v2-put",
    method: "v2-put",
  },
  kilo: {
    floatingIps: "neutron",
    securityGroups: "neutron",
    gman: "build",
    firstUpload: "v2-put",
    method: "v2-put",
  },
  "nova-network": {
    floatingIps: "nova",
    securityGroups: "nova",
    gman: "none",
    firstUpload: "v2-put",
    method: "v2-put",
  },
  rackspace: {
    floatingIps: "none",
    securityGroups: "neutron",
    gman: "none",
    // The simulator's clouds.yaml has Rackspace's vendor setting image_api_use_tasks: true.
    firstUpload: "task-import",
    method: "task-import",
  },
};

describe.each(PROFILE_NAMES.map((p) => [p] as [ProfileName]))("porcelain on the %s simulator", (profile) => {
  let cloud: SimCloud;
  beforeAll(async () => {
    cloud = await startSimCloud(profile);
  });
  afterAll(async () => {
    await cloud.close();
  });

  it("capabilities", async () => {
    const caps = await getCapabilities(cloud.ctx);
    const want = expected[profile];
    expect(caps.floatingIps.model).toBe(want.floatingIps);
    expect(caps.securityGroups.model).toBe(want.securityGroups);
    expect(caps.getMeANetwork.method).toBe(want.gman);
    expect(caps.images.uploadMethods[0]).toBe(want.firstUpload);
    expect(caps.images.diskFormats).toContain(profile === "rackspace" ? "vhd" : "qcow2");
    expect(caps.services.find((s) => s.serviceType === "compute")?.microversions?.min).toBe("2.1");
  });

  it("uploads an image by the cloud's method, then dedupes by checksum", async () => {
    const data = new TextEncoder().encode(`disk of ${profile}`);
    const diskFormat = profile === "rackspace" ? "vhd" : "qcow2";
    const first = await createImage(cloud.ctx, {
      name: `img-${profile}`,
      data,
      diskFormat,
      timeoutMs: 20_000,
    });
    expect(first).toMatchObject({
      reused: false,
      method: expected[profile].method,
      image: { status: "active" },
    });
    const again = await createImage(cloud.ctx, {
      name: `img-${profile}`,
      data,
      diskFormat,
      timeoutMs: 20_000,
    });
    expect(again).toMatchObject({ reused: true, image: { id: first.image.id } });
    expect(await deleteImage(cloud.ctx, first.image.id, { wait: true, timeoutMs: 10_000 })).toBe(true);
  });

  it("security groups and rules", async () => {
    if (expected[profile].securityGroups === "none") return;
    const group = await createSecurityGroup(cloud.ctx, { name: `sg-${profile}`, description: "test" });
    const rule = await addSecurityGroupRule(cloud.ctx, {
      securityGroup: group.id,
      protocol: "tcp",
      portRangeMin: 22,
    });
    expect(rule).toMatchObject({ direction: "ingress", protocol: "tcp", portRangeMin: 22, portRangeMax: 22 });
    expect((await getSecurityGroup(cloud.ctx, `sg-${profile}`)).rules.map((r) => r.id)).toContain(rule.id);
    expect(await deleteSecurityGroup(cloud.ctx, group.id)).toBe(true);
  });

  it("get-me-a-network", async () => {
    const verdict = await ensureNetwork(cloud.ctx);
    const method = expected[profile].gman;
    if (method === "nova-auto") expect(verdict.kind).toBe("nova-auto");
    else if (method === "build") {
      expect(verdict.kind).toBe("network");
      // Idempotent: the second call finds what the first made (or the project's one network).
      const again = await ensureNetwork(cloud.ctx);
      expect(again.kind === "network" && again.networkId).toBe(
        verdict.kind === "network" && verdict.networkId,
      );
    } else expect(verdict.kind).toBe("none");
  });

  it("keypairs, flavors, volumes", async () => {
    const keypair = await createKeypair(cloud.ctx, { name: `kp-${profile}` });
    expect(keypair.privateKey).toMatch(/PRIVATE KEY/);
    expect(await deleteKeypair(cloud.ctx, keypair.name)).toBe(true);
    expect(await findFlavor(cloud.ctx, { minRamMb: 1 })).toBeDefined();
    const volume = await createVolume(cloud.ctx, { size: 1, name: `vol-${profile}`, timeoutMs: 20_000 });
    expect(volume.status).toBe("available");
    expect(await deleteVolume(cloud.ctx, volume.id, { timeoutMs: 20_000 })).toBe(true);
  });
});

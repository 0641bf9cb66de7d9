import { Code, ConnectError } from "@connectrpc/connect";
import type { ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestSchema } from "../gen/google/rpc/error_details_pb.js";
import {
  AuthState,
  CloudService,
  FloatingIpModel,
  GetMeANetworkMethod,
  ImageUploadMethod,
} from "../gen/oaktree/v1/cloud_pb.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("CloudService", () => {
  it("ListClouds lists every configured cloud with its auth state, without calling any cloud", async () => {
    s = await startSimServer("modern");
    const client = s.client(CloudService);
    const before = await client.listClouds({});
    expect(before.clouds.map((cloud) => [cloud.location?.cloud, cloud.isDefault, cloud.authState])).toEqual([
      ["sim", true, AuthState.NOT_CONNECTED],
      ["sim-admin", false, AuthState.NOT_CONNECTED],
    ]);
    expect(before.clouds[0]?.authUrl).toContain(s.sim.url);
    expect(s.sim.admin.log()).toEqual([]);
    await client.getCapabilities({});
    const after = await client.listClouds({});
    expect(after.clouds.map((cloud) => cloud.authState)).toEqual([
      AuthState.AUTHENTICATED,
      AuthState.NOT_CONNECTED,
    ]);
  });

  it.each([
    ["modern", FloatingIpModel.NEUTRON, "neutron"],
    ["kilo", FloatingIpModel.NEUTRON, "neutron"],
    ["nova-network", FloatingIpModel.NOVA, "nova"],
    ["rackspace", FloatingIpModel.NONE, undefined],
  ] as const)("%s: GetCapabilities says how the cloud works", async (profile, floating, groups) => {
    s = await startSimServer(profile as ProfileName);
    const { capabilities } = await s.client(CloudService).getCapabilities({ location: { cloud: "sim" } });
    expect(capabilities?.location?.cloud).toBe("sim");
    expect(capabilities?.floatingIpModel).toBe(floating);
    expect(capabilities?.floatingIpReason).not.toBe("");
    if (groups) expect(capabilities?.securityGroupModel).toBe(groups);
    expect(capabilities?.imageUploadMethods.length).toBeGreaterThan(0);
    expect(capabilities?.imageUploadMethods).not.toContain(ImageUploadMethod.UNSPECIFIED);
    expect(capabilities?.getMeANetwork).not.toBe(GetMeANetworkMethod.UNSPECIFIED);
    const compute = capabilities?.services.find((service) => service.serviceType === "compute");
    expect(compute?.endpoint).toContain(s.sim.url);
    if (profile === "modern") {
      expect(capabilities?.externalNetworkIds.length).toBeGreaterThan(0);
      expect(compute?.microversions?.max).toMatch(/^2\.\d+$/);
    }
    if (profile === "nova-network") expect(capabilities?.floatingIpPools.length).toBeGreaterThan(0);
  });

  it("GetCapabilities of an unknown region is INVALID_ARGUMENT naming location.region", async () => {
    s = await startSimServer("modern");
    const error = await s
      .client(CloudService)
      .getCapabilities({ location: { cloud: "sim", region: "Atlantis" } })
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("location.region");
    expect(s.sim.admin.log()).toEqual([]);
  });
});

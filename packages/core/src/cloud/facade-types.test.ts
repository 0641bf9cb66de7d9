import type {
  AddSecurityGroupRuleOptions,
  AttachFloatingIpOptions,
  CallOptions,
  CapabilityOptions,
  CleanupFloatingIpsOptions,
  Cloud,
  CreateFloatingIpForOptions,
  CreateFloatingIpOptions,
  CreateImageOptions,
  CreateKeypairOptions,
  CreateNetworkOptions,
  CreatePortOptions,
  CreateRouterOptions,
  CreateSecurityGroupOptions,
  CreateServerOptions,
  CreateSubnetOptions,
  CreateVolumeFromOptions,
  CreateVolumeOptions,
  DeleteImageOptions,
  DeleteServerOptions,
  EnsureNetworkOptions,
  FilterOptions,
  FlavorConstraints,
  FloatingIpRefOptions,
  ImageCallOptions,
  ImagePropertyChanges,
  KeypairCallOptions,
  ListFlavorsOptions,
  ListImagesOptions,
  ListNetworksOptions,
  ListPortsOptions,
  ListRoutersOptions,
  ListServersPorcelainOptions,
  ListSubnetsOptions,
  NetworkCallOptions,
  OpenCloudOptions,
  RouterChanges,
  RouterInterfaceTarget,
  SecurityGroupCallOptions,
  ServerLookupOptions,
  ServerWaitOptions,
  UpdateNetworkOptions,
  UpdatePortOptions,
  UpdateSubnetOptions,
  VolumeCallOptions,
  VolumeWaitOptions,
} from "@oaktree/core";
import { describe, expectTypeOf, it } from "vitest";

// The facade's parameter types, named from the package root as a user names them. tsc is the
// check (npx tsc -p tsconfig.json --noEmit): each exported name must be the very type the Cloud
// method takes, so a signature that changes without its export fails here.

/** The `index`th parameter of the Cloud method `name`, without `undefined` (optional ones). */
type Param<Name extends keyof Cloud, Index extends number> = Cloud[Name] extends (...args: infer A) => unknown
  ? NonNullable<A[Index]>
  : never;

describe("the facade's types are named by the package root", () => {
  it("each option bag is the type its Cloud method takes", () => {
    expectTypeOf<OpenCloudOptions>().toEqualTypeOf<NonNullable<Parameters<typeof Cloud.open>[0]>>();
    expectTypeOf<CapabilityOptions>().toEqualTypeOf<Param<"capabilities", 0>>();
    expectTypeOf<CallOptions>().toEqualTypeOf<Param<"getLimits", 0>>();
    expectTypeOf<CreateServerOptions>().toEqualTypeOf<Param<"createServer", 0>>();
    expectTypeOf<DeleteServerOptions>().toEqualTypeOf<Param<"deleteServer", 1>>();
    expectTypeOf<ListServersPorcelainOptions>().toEqualTypeOf<Param<"listServers", 0>>();
    expectTypeOf<ServerLookupOptions>().toEqualTypeOf<Param<"getServer", 1>>();
    expectTypeOf<ServerWaitOptions>().toEqualTypeOf<Param<"waitForServer", 1>>();
    expectTypeOf<FilterOptions & CallOptions>().toEqualTypeOf<Param<"listFloatingIps", 0>>();
    expectTypeOf<CreateFloatingIpOptions>().toEqualTypeOf<Param<"createFloatingIp", 0>>();
    expectTypeOf<AttachFloatingIpOptions>().toEqualTypeOf<Param<"attachFloatingIp", 2>>();
    expectTypeOf<FloatingIpRefOptions>().toEqualTypeOf<Param<"getFloatingIp", 1>>();
    expectTypeOf<CreateFloatingIpForOptions>().toEqualTypeOf<Param<"createFloatingIpFor", 0>>();
    expectTypeOf<CleanupFloatingIpsOptions>().toEqualTypeOf<Param<"deleteUnattachedFloatingIps", 0>>();
    expectTypeOf<EnsureNetworkOptions>().toEqualTypeOf<Param<"ensureNetwork", 0>>();
    expectTypeOf<ListNetworksOptions>().toEqualTypeOf<Param<"listNetworks", 0>>();
    expectTypeOf<UpdateNetworkOptions>().toEqualTypeOf<Param<"updateNetwork", 1>>();
    expectTypeOf<NetworkCallOptions>().toEqualTypeOf<Param<"updateNetwork", 2>>();
    expectTypeOf<CreateNetworkOptions>().toEqualTypeOf<Param<"createNetwork", 0>>();
    expectTypeOf<ListSubnetsOptions>().toEqualTypeOf<Param<"listSubnets", 0>>();
    expectTypeOf<UpdateSubnetOptions>().toEqualTypeOf<Param<"updateSubnet", 1>>();
    expectTypeOf<CreateSubnetOptions>().toEqualTypeOf<Param<"createSubnet", 0>>();
    expectTypeOf<ListRoutersOptions>().toEqualTypeOf<Param<"listRouters", 0>>();
    expectTypeOf<RouterChanges>().toEqualTypeOf<Param<"updateRouter", 1>>();
    expectTypeOf<CreateRouterOptions>().toEqualTypeOf<Param<"createRouter", 0>>();
    expectTypeOf<RouterInterfaceTarget>().toEqualTypeOf<Param<"addRouterInterface", 1>>();
    expectTypeOf<RouterInterfaceTarget>().toEqualTypeOf<Param<"removeRouterInterface", 1>>();
    expectTypeOf<ListPortsOptions>().toEqualTypeOf<Param<"listPorts", 0>>();
    expectTypeOf<UpdatePortOptions>().toEqualTypeOf<Param<"updatePort", 1>>();
    expectTypeOf<CreatePortOptions>().toEqualTypeOf<Param<"createPort", 0>>();
    expectTypeOf<FilterOptions & SecurityGroupCallOptions>().toEqualTypeOf<Param<"listSecurityGroups", 0>>();
    expectTypeOf<CreateSecurityGroupOptions>().toEqualTypeOf<Param<"createSecurityGroup", 0>>();
    expectTypeOf<AddSecurityGroupRuleOptions>().toEqualTypeOf<Param<"addSecurityGroupRule", 0>>();
    expectTypeOf<ListFlavorsOptions>().toEqualTypeOf<Param<"listFlavors", 0>>();
    expectTypeOf<string | FlavorConstraints>().toEqualTypeOf<Param<"getFlavor", 0>>();
    expectTypeOf<KeypairCallOptions>().toEqualTypeOf<Param<"getKeypair", 1>>();
    expectTypeOf<CreateKeypairOptions>().toEqualTypeOf<Param<"createKeypair", 0>>();
    expectTypeOf<CreateImageOptions>().toEqualTypeOf<Param<"createImage", 0>>();
    expectTypeOf<ListImagesOptions>().toEqualTypeOf<Param<"listImages", 0>>();
    expectTypeOf<DeleteImageOptions>().toEqualTypeOf<Param<"deleteImage", 1>>();
    expectTypeOf<ImagePropertyChanges>().toEqualTypeOf<Param<"updateImageProperties", 1>>();
    expectTypeOf<ImageCallOptions>().toEqualTypeOf<Param<"updateImageProperties", 2>>();
    expectTypeOf<CreateVolumeOptions>().toEqualTypeOf<Param<"createVolume", 0>>();
    expectTypeOf<CreateVolumeFromOptions>().toEqualTypeOf<Param<"createVolumeFrom", 0>>();
    expectTypeOf<FilterOptions & VolumeCallOptions>().toEqualTypeOf<Param<"listVolumes", 0>>();
    expectTypeOf<VolumeWaitOptions>().toEqualTypeOf<Param<"deleteVolume", 1>>();
  });

  it("a user can write the option bags as typed values", () => {
    const signal = new AbortController().signal;
    const lookup: ServerLookupOptions = { signal, filters: { status: "ACTIVE" } };
    const wait: ServerWaitOptions = { timeoutMs: 60_000, signal };
    const networks: ListNetworksOptions = { filters: { shared: false } };
    const target: RouterInterfaceTarget = { subnet: "private-subnet" };
    const flavor: FlavorConstraints = { minRamMb: 2048 };
    expectTypeOf(lookup).toExtend<Param<"getServer", 1>>();
    expectTypeOf(wait).toExtend<Param<"waitForServer", 1>>();
    expectTypeOf(networks).toExtend<Param<"listNetworks", 0>>();
    expectTypeOf(target).toExtend<Param<"addRouterInterface", 1>>();
    expectTypeOf(flavor).toExtend<Param<"getFlavor", 0>>();
  });
});

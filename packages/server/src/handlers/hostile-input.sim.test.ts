import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeypairService } from "../gen/oaktree/v1/keypair_pb.js";
import { NetworkService } from "../gen/oaktree/v1/network_pb.js";
import { RouterService } from "../gen/oaktree/v1/router_pb.js";
import { SubnetService } from "../gen/oaktree/v1/subnet_pb.js";
import { Oaktree } from "../gen-legacy/oaktree_pb.js";
import { failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

/**
 * The defects test/fuzz/requests.fuzz.test.ts found, one test each: every one used to end as
 * INTERNAL, UNKNOWN, or a cloud 400 naming no field.
 */
describe("hostile requests found by the fuzz tests", () => {
  let s: SimServer;
  let network: string;
  beforeAll(async () => {
    s = await startSimServer("modern");
    const { network: made } = await s.client(NetworkService).createNetwork({ name: "fuzz-internal" });
    network = made?.id ?? "";
  });
  afterAll(async () => {
    await s.close();
  });

  /** Requests the simulator saw for `route` (e.g. "POST /routers") since the log was reset. */
  const calls = (route: string) => s.sim.admin.log().filter((entry) => entry.route === route).length;

  it("a JMESPath expression that compiles but fails on the data is INVALID_ARGUMENT filter.jmespath (was INTERNAL)", async () => {
    for (const jmespath of ["max_by(@, &to_number(id))", "not_a_function(@)"]) {
      const error = await failure(() => s.client(NetworkService).listNetworks({ filter: { jmespath } }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(violatedField(error)).toBe("filter.jmespath");
    }
    const legacy = await failure(() =>
      s.client(Oaktree).listFlavors({ jmespath: "max_by(@, &to_number(id))" }),
    );
    expect(legacy.code).toBe(Code.InvalidArgument);
    expect(violatedField(legacy)).toBe("jmespath");
  });

  it("a 70 kB name is INVALID_ARGUMENT naming the field, before any cloud call (was UNKNOWN: the cloud's 431)", async () => {
    s.sim.admin.reset();
    const error = await failure(() => s.client(KeypairService).getKeypair({ nameOrId: "x".repeat(70_000) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe("name_or_id");
    const nested = await failure(() =>
      s.client(NetworkService).listNetworks({ location: { cloud: "é".repeat(600) } }),
    );
    expect(violatedField(nested)).toBe("location.cloud");
    expect(s.sim.admin.log().filter((entry) => entry.service !== "identity")).toEqual([]);
  });

  it("a keypair name nova calls unsafe is INVALID_ARGUMENT name, not sent (was a 400 naming no field)", async () => {
    s.sim.admin.reset();
    const error = await failure(() => s.client(KeypairService).createKeypair({ name: "濫/" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe("name");
    expect(calls("POST /os-keypairs")).toBe(0);
    const made = await s.client(KeypairService).createKeypair({ name: "fuzz key_1.a@b" });
    expect(made.keypair?.name).toBe("fuzz key_1.a@b");
  });

  it("a router gateway on an internal network is INVALID_ARGUMENT externalNetwork, not sent (was a 400 naming no field)", async () => {
    s.sim.admin.reset();
    const error = await failure(() =>
      s.client(RouterService).createRouter({ name: "fuzz-router", externalNetwork: network }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(violatedField(error)).toBe("externalNetwork");
    expect(calls("POST /routers")).toBe(0);
  });

  it("a malformed CIDR, gateway or nameserver is INVALID_ARGUMENT naming it, not sent (was a 400 naming no field)", async () => {
    s.sim.admin.reset();
    const subnets = s.client(SubnetService);
    const cases = [
      [{ cidr: "C>$&:H`" }, "cidr"],
      [{ cidr: "10.0.0.0/33" }, "cidr"],
      [{ cidr: "fd00::/64" }, "cidr"],
      [{ cidr: "10.0.0.0/24", gatewayIp: "fd00::1" }, "gatewayIp"],
      [{ cidr: "10.0.0.0/24", dnsNameservers: ["8.8.8.8", "null"] as string[] }, "dnsNameservers[1]"],
    ] as const;
    for (const [fields, field] of cases) {
      const error = await failure(() => subnets.createSubnet({ network, ...fields }));
      expect(error.code, JSON.stringify(fields)).toBe(Code.InvalidArgument);
      expect(violatedField(error)).toBe(field);
    }
    expect(calls("POST /subnets")).toBe(0);
  });
});

import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { FlavorService } from "../gen/oaktree/v1/flavor_pb.js";
import { KeypairService } from "../gen/oaktree/v1/keypair_pb.js";
import { LimitsService } from "../gen/oaktree/v1/limits_pb.js";
import { failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

let s: SimServer;
beforeAll(async () => {
  s = await startSimServer("modern");
});
afterAll(async () => {
  await s.close();
});

describe("FlavorService", () => {
  it("gets a flavor by name and by id, lists with field and JMESPath filters, NOT_FOUND for a missing one", async () => {
    const client = s.client(FlavorService);
    const { flavor } = await client.getFlavor({ nameOrId: "m1.tiny" });
    expect(flavor).toMatchObject({ name: "m1.tiny", location: { cloud: "sim" } });
    expect((await client.getFlavor({ nameOrId: flavor?.id ?? "" })).flavor?.name).toBe("m1.tiny");
    const all = await client.listFlavors({});
    expect(all.flavors.length).toBeGreaterThan(1);
    const byName = await client.listFlavors({ filter: { fields: { name: "m1.small" } } });
    expect(byName.flavors.map((f) => f.name)).toEqual(["m1.small"]);
    const big = await client.listFlavors({ filter: { jmespath: "[?ram >= `4096`]" } });
    expect(big.flavors.length).toBeGreaterThan(0);
    expect(big.flavors.every((f) => f.ram >= 4096)).toBe(true);
    const missing = await failure(() => client.getFlavor({ nameOrId: "m9.huge" }));
    expect(missing.code).toBe(Code.NotFound);
    expect(missing.findDetails(ResourceInfoSchema)[0]).toMatchObject({
      resourceType: "flavor",
      resourceName: "m9.huge",
    });
  });
});

describe("KeypairService", () => {
  it("creates a keypair (the private key returned once), gets, lists, deletes it; NOT_FOUND once gone", async () => {
    const client = s.client(KeypairService);
    const { keypair } = await client.createKeypair({ name: "deploy" });
    expect(keypair?.privateKey).toMatch(/PRIVATE KEY/);
    expect(keypair?.publicKey).toMatch(/^ssh-/);
    const got = await client.getKeypair({ nameOrId: "deploy" });
    expect(got.keypair?.fingerprint).toBe(keypair?.fingerprint);
    expect(got.keypair?.privateKey).toBe("");
    const listed = await client.listKeypairs({ filter: { fields: { name: "deploy" } } });
    expect(listed.keypairs.map((k) => k.name)).toEqual(["deploy"]);
    await client.deleteKeypair({ nameOrId: "deploy" });
    expect((await failure(() => client.getKeypair({ nameOrId: "deploy" }))).code).toBe(Code.NotFound);
    expect((await failure(() => client.deleteKeypair({ nameOrId: "deploy" }))).code).toBe(Code.NotFound);
  });

  it.each([
    ["without name", { publicKey: "" }, "name"],
    ["with a public key that is not OpenSSH", { name: "k", publicKey: "not a key" }, "public_key"],
  ] as const)(
    "CreateKeypair %s is INVALID_ARGUMENT naming its field, with no cloud call",
    async (_, request, field) => {
      s.sim.admin.reset();
      const error = await failure(() => s.client(KeypairService).createKeypair(request));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(violatedField(error)).toBe(field);
      expect(s.sim.admin.log()).toEqual([]);
    },
  );
});

describe("LimitsService", () => {
  it("answers the project's compute limits and usage", async () => {
    const { limits } = await s.client(LimitsService).getLimits({});
    expect(limits?.location?.cloud).toBe("sim");
    expect(limits?.maxTotalInstances).toBeGreaterThan(0n);
    expect(limits?.totalInstancesUsed).toBeGreaterThanOrEqual(0n);
  });

  it("an unknown cloud is INVALID_ARGUMENT naming location.cloud", async () => {
    const error = await failure(() => s.client(LimitsService).getLimits({ location: { cloud: "nope" } }));
    expect(violatedField(error)).toBe("location.cloud");
  });
});

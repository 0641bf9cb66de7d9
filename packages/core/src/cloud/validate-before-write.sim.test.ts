import type { ProfileName } from "@oaktree/sim";
import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import { Cloud } from "./cloud.js";
import type { CreateServerOptions } from "./create-server.js";
import { ResourceNotFoundError } from "./find.js";
import { createFloatingIp } from "./floating-ips.js";

// createServer resolves every name and checks every option with reads only, before it writes
// anything: a bad name or option leaves the cloud exactly as it was, and the same kind of bad
// input gives the same error whatever the path (token or not, auto network or not).

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const base = { name: "checked", image: "cirros-0.6.2-x86_64-disk", flavor: "m1.tiny", timeoutMs: 20_000 };

/** Requests that change something (identity's token requests aside). */
function writes(sim: SimCloud): string[] {
  return sim.sim.admin
    .log()
    .filter((entry) => entry.service !== "identity" && entry.method !== "GET" && entry.method !== "HEAD")
    .map((entry) => `${entry.service} ${entry.route}`);
}

async function expectRejectedWithoutWrites(
  sim: SimCloud,
  facade: Cloud,
  options: CreateServerOptions,
  check: (error: unknown) => void,
) {
  await sim.ctx.normalizeContext();
  sim.sim.admin.reset();
  const error = await facade.createServer(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  check(error);
  expect(writes(sim)).toEqual([]);
}

function notFound(kind: string, name: string) {
  return (error: unknown) => {
    expect(error).toBeInstanceOf(ResourceNotFoundError);
    expect(error).toMatchObject({ kind, nameOrId: name });
  };
}

function invalid(field: string, message: RegExp) {
  return (error: unknown) => {
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toMatch(message);
  };
}

describe("createServer checks everything before its first write", () => {
  it("kilo: a flavor that does not exist with network auto builds no network first", async () => {
    cloud = await startSimCloud("kilo", { simulator: { buildDelayMs: 20 } });
    const [project] = cloud.sim.admin.seed({ projects: 1 }).projects;
    const ctx = await cloud.context({
      overrides: { auth: { username: project!.user, password: "secret", project_name: project!.name } },
    });
    await ctx.normalizeContext();
    cloud.sim.admin.reset();
    // A slow flavor list, so that anything started beside it has time to write.
    cloud.sim.admin.addFault({ service: "compute", route: "GET /flavors/detail", latencyMs: 300 });
    const error = await new Cloud(ctx)
      .createServer({ ...base, flavor: "nope", network: "auto" })
      .catch((caught: unknown) => caught);
    notFound("flavor", "nope")(error);
    // Nothing may go on writing after the rejection either.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writes(cloud)).toEqual([]);
    expect(cloud.sim.admin.state.world.networks.ofProject(project!.id)).toEqual([]);
  });

  it.each<[string, Partial<CreateServerOptions>, string, string]>([
    ["image", { image: "no-such-image" }, "image", "no-such-image"],
    ["network", { network: "no-such-net" }, "network", "no-such-net"],
    ["nics network", { nics: [{ network: "no-such-net" }] }, "network", "no-such-net"],
    [
      "nics port",
      { nics: [{ port: "00000000-0000-4000-8000-000000000000" }] },
      "port",
      "00000000-0000-4000-8000-000000000000",
    ],
    ["volumes", { volumes: ["no-such-volume"] }, "volume", "no-such-volume"],
    ["bootVolume", { image: undefined, bootVolume: "no-such-volume" }, "volume", "no-such-volume"],
    ["serverGroup", { serverGroup: "no-such-group" }, "server group", "no-such-group"],
    ["keyName", { keyName: "no-such-key" }, "keypair", "no-such-key"],
    ["securityGroups", { securityGroups: ["default", "no-such-sg"] }, "security group", "no-such-sg"],
    ["ips", { ips: ["9.9.9.9"] }, "floating IP", "9.9.9.9"],
    ["ipPool", { ipPool: "no-such-pool" }, "external network", "no-such-pool"],
    ["natDestination", { natDestination: "no-such-net" }, "network", "no-such-net"],
  ])(
    "modern: an unknown %s is a ResourceNotFoundError before anything is created",
    async (_, extra, kind, name) => {
      cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
      await expectRejectedWithoutWrites(
        cloud,
        new Cloud(cloud.ctx),
        { ...base, ...extra },
        notFound(kind, name),
      );
    },
  );

  it("modern: an unknown name is the same error with network auto and with a client token", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const facade = new Cloud(cloud.ctx);
    await expectRejectedWithoutWrites(
      cloud,
      facade,
      { ...base, keyName: "no-such-key", network: "auto" },
      notFound("keypair", "no-such-key"),
    );
    // A token whose server exists already: the retry's bad name is still found out first.
    await facade.createServer({ ...base, clientToken: "tok-v" });
    await expectRejectedWithoutWrites(
      cloud,
      facade,
      { ...base, clientToken: "tok-v", keyName: "no-such-key" },
      notFound("keypair", "no-such-key"),
    );
  });

  it("modern: an attached address in ips is a ValidationError naming ips, before the boot", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const facade = new Cloud(cloud.ctx);
    const first = await facade.createServer({ ...base, name: "holder" });
    const address = first.floatingIp!.floatingIpAddress;
    await expectRejectedWithoutWrites(
      cloud,
      facade,
      { ...base, ips: [address] },
      invalid("ips", new RegExp(`${address.replace(/\./g, "\\.")} is already attached`)),
    );
  });

  it("modern: a free address in ips is attached", async () => {
    cloud = await startSimCloud("modern", { simulator: { buildDelayMs: 20 } });
    const free = await createFloatingIp(cloud.ctx);
    const result = await new Cloud(cloud.ctx).createServer({ ...base, ips: [free.floatingIpAddress] });
    expect(result.floatingIp?.id).toBe(free.id);
    expect(result.server.publicV4).toBe(free.floatingIpAddress);
  });

  it.each<[ProfileName, Partial<CreateServerOptions>, string, string]>([
    ["nova-network", { ipPool: "no-such-pool" }, "floating IP pool", "no-such-pool"],
    ["nova-network", { network: "no-such-net" }, "network", "no-such-net"],
    ["kilo", { image: "no-such-image" }, "image", "no-such-image"],
  ])("%s: %j is a ResourceNotFoundError before anything is created", async (profile, extra, kind, name) => {
    cloud = await startSimCloud(profile, { simulator: { buildDelayMs: 20 } });
    await expectRejectedWithoutWrites(
      cloud,
      new Cloud(cloud.ctx),
      { ...base, ...extra },
      notFound(kind, name),
    );
  });

  it("rackspace: ipPool on a cloud without floating IPs is a ValidationError naming ipPool", async () => {
    cloud = await startSimCloud("rackspace", { simulator: { buildDelayMs: 20 } });
    await expectRejectedWithoutWrites(
      cloud,
      new Cloud(cloud.ctx),
      { ...base, ipPool: "public" },
      invalid("ipPool", /no floating IPs/),
    );
  });
});

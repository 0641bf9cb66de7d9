import type { ProfileName } from "../../profiles.js";
import { type Simulator, startSimulator } from "../../simulator.js";
import { login } from "../client.js";
import type { FidelityContext } from "./types.js";

/** The tag the context puts on every neutron resource it seeds or creates. */
const TAG = "fidelity";

/** Starts a simulator of a profile (instant builds and deletes, roomy quotas) with a row context. */
export async function fidelityContext(profile: ProfileName): Promise<FidelityContext> {
  const sim: Simulator = await startSimulator({ profile, buildDelayMs: 0, deleteDelayMs: 0 });
  const demo = await login(sim, "demo");
  const admin = await login(sim, "admin");
  const world = sim.admin.state.world;
  sim.admin.setQuota("compute", demo.projectId, { instances: 1000, cores: 1000, ram: 1_000_000 });
  for (const project of [demo.projectId, admin.projectId]) {
    sim.admin.setQuota("volume", project, { volumes: 1000, gigabytes: 10_000, snapshots: 1000 });
  }
  for (const table of [world.networks, world.subnets, world.ports, world.routers, world.floatingIps]) {
    for (const r of table.all()) r.tags.push(TAG);
  }
  const byName = (name: string) => world.networks.find((n) => n.name === name);
  const router1 = world.routers.find((r) => r.name === "router1");
  // An extra route, so that router answers have a `routes` item to compare (see network-rows' ROUTES).
  if (router1) router1.routes = [{ destination: "192.168.99.0/24", nexthop: "10.0.0.250" }];
  const priv = byName("private");
  let counter = 0;
  const x: FidelityContext = {
    sim,
    demo,
    admin,
    image: world.images.all()[0]!.id,
    net: {
      public: byName("public")?.id ?? "",
      private: priv?.id ?? "",
      privateSubnet: priv?.subnet_ids[0] ?? "",
      router: world.routers.find((r) => r.name === "router1")?.id ?? "",
    },
    async server(extra = {}, microversion) {
      const res = await demo.call(
        "POST",
        "/compute/v2.1/servers",
        { server: { name: x.name("vm"), imageRef: x.image, flavorRef: "1", ...extra } },
        microversion ? { "OpenStack-API-Version": `compute ${microversion}` } : {},
      );
      if (res.status !== 202)
        throw new Error(`server create failed: ${res.status} ${JSON.stringify(res.body)}`);
      sim.admin.finishBuilds();
      return (res.body as { server: { id: string } }).server.id;
    },
    volume() {
      const now = world.clock.now();
      return world.volumes.insert({
        id: world.ids.uuid(),
        seq: world.ids.seq(),
        project_id: demo.projectId,
        name: x.name("vol"),
        description: null,
        user_id: world.users.find((u) => u.name === "demo")!.id,
        size: 1,
        status: "available",
        volume_type: "lvmdriver-1",
        availability_zone: "nova",
        bootable: false,
        image_id: null,
        snapshot_id: null,
        source_volid: null,
        metadata: {},
        attachments: [],
        multiattach: false,
        encrypted: false,
        created: now,
        updated: now,
      }).id;
    },
    async neutron(kind, body) {
      const collection = kind === "security_group" ? "security-groups" : `${kind}s`;
      const res = await demo.call("POST", `/network/v2.0/${collection}`, { [kind]: body });
      if (res.status !== 201)
        throw new Error(`${kind} create failed: ${res.status} ${JSON.stringify(res.body)}`);
      const made = (res.body as Record<string, Record<string, unknown>>)[kind]!;
      // Tagged, so that the answers' `tags` have an item to compare with the samples' (see shapeDiff).
      const tags = await demo.call("PUT", `/network/v2.0/${collection}/${made.id}/tags`, { tags: [TAG] });
      if (tags.status !== 200) throw new Error(`tagging the ${kind} failed: ${tags.status}`);
      return { ...made, tags: [TAG] };
    },
    name(prefix) {
      counter += 1;
      return `${prefix}-${counter}`;
    },
  };
  return x;
}

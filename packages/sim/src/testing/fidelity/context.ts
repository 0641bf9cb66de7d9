import type { ProfileName } from "../../profiles.js";
import { type Simulator, startSimulator } from "../../simulator.js";
import { login } from "../client.js";
import type { FidelityContext } from "./types.js";

/** Starts a simulator of a profile (instant builds and deletes, roomy quotas) with a row context. */
export async function fidelityContext(profile: ProfileName): Promise<FidelityContext> {
  const sim: Simulator = await startSimulator({ profile, buildDelayMs: 0, deleteDelayMs: 0 });
  const demo = await login(sim, "demo");
  const admin = await login(sim, "admin");
  const world = sim.admin.state.world;
  sim.admin.setQuota("compute", demo.projectId, { instances: 1000, cores: 1000, ram: 1_000_000 });
  const byName = (name: string) => world.networks.find((n) => n.name === name);
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
      return (res.body as Record<string, Record<string, unknown>>)[kind]!;
    },
    name(prefix) {
      counter += 1;
      return `${prefix}-${counter}`;
    },
  };
  return x;
}

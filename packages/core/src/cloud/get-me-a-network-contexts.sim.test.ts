import { afterEach, describe, expect, it } from "vitest";
import { type SimCloud, startSimCloud } from "../testing/sim-cloud.js";
import type { CloudContext } from "./context.js";
import { ensureNetwork, type NetworkVerdict } from "./get-me-a-network.js";

// get-me-a-network keeps its in-flight builds on the context, not in the module: two contexts
// building at the same time (other projects, other clouds) each get a network of their own,
// while the concurrent callers of one context share its one build.

const clouds: SimCloud[] = [];
afterEach(async () => {
  for (const cloud of clouds.splice(0)) await cloud.close();
});

/** A kilo simulator (oaktree builds the network) whose network creations are slowed down. */
async function kilo(): Promise<SimCloud> {
  const cloud = await startSimCloud("kilo", { simulator: { buildDelayMs: 20, deleteDelayMs: 20 } });
  clouds.push(cloud);
  // Slow enough that the two contexts' builds are in flight at the same time.
  cloud.sim.admin.addFault({ service: "network", route: "POST /networks", latencyMs: 150 });
  return cloud;
}

/** A context of a new project (seeded, with a member user) that has no network of its own. */
async function emptyProject(cloud: SimCloud): Promise<{ ctx: CloudContext; projectId: string }> {
  const [project] = cloud.sim.admin.seed({ projects: 1 }).projects;
  const ctx = await cloud.context({
    overrides: { auth: { username: project!.user, password: "secret", project_name: project!.name } },
  });
  return { ctx, projectId: project!.id };
}

function networkIdOf(verdict: NetworkVerdict): string {
  if (verdict.kind !== "network") throw new Error(`expected a network, got ${verdict.kind}`);
  return verdict.networkId;
}

/** Two callers on each context, all at once; the network ids each context's callers got. */
async function buildAtOnce(contexts: readonly CloudContext[]): Promise<string[][]> {
  const verdicts = await Promise.all(
    contexts.map((ctx) => Promise.all([ensureNetwork(ctx), ensureNetwork(ctx)])),
  );
  return verdicts.map((pair) => pair.map(networkIdOf));
}

function networkPosts(cloud: SimCloud): number {
  return cloud.sim.admin.log().filter((entry) => entry.route === "POST /networks" && entry.status === 201)
    .length;
}

describe("get-me-a-network's in-flight builds belong to their context", () => {
  it("two projects on one cloud, building at once: each gets its own project's network", async () => {
    const cloud = await kilo();
    const [a, b] = [await emptyProject(cloud), await emptyProject(cloud)];
    const [idsA, idsB] = await buildAtOnce([a.ctx, b.ctx]);
    // One build per context, shared by its two callers.
    expect(new Set(idsA).size).toBe(1);
    expect(new Set(idsB).size).toBe(1);
    expect(idsA![0]).not.toBe(idsB![0]);
    const world = cloud.sim.admin.state.world;
    expect(world.networks.get(idsA![0]!)?.project_id).toBe(a.projectId);
    expect(world.networks.get(idsB![0]!)?.project_id).toBe(b.projectId);
    expect(networkPosts(cloud)).toBe(2);
  }, 30_000);

  it("two clouds, building at once: each gets a network of its own cloud", async () => {
    const [one, two] = [await kilo(), await kilo()];
    const [a, b] = [await emptyProject(one), await emptyProject(two)];
    const [idsA, idsB] = await buildAtOnce([a.ctx, b.ctx]);
    expect(new Set(idsA).size).toBe(1);
    expect(new Set(idsB).size).toBe(1);
    expect(one.sim.admin.state.world.networks.get(idsA![0]!)?.project_id).toBe(a.projectId);
    expect(two.sim.admin.state.world.networks.get(idsB![0]!)?.project_id).toBe(b.projectId);
    expect([networkPosts(one), networkPosts(two)]).toEqual([1, 1]);
  }, 30_000);
});

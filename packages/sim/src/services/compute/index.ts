import { badRequest, novaErrorStyle } from "../../core/errors.js";
import { json } from "../../core/http.js";
import { negotiateMicroversion } from "../../core/microversion.js";
import type { ServiceModule, SimContext, SimState } from "../../core/service.js";
import { registerActions } from "./actions.js";
import { registerExtensions } from "./extensions.js";
import { registerInterfaces } from "./interfaces.js";
import { registerNovaNetwork } from "./nova-network.js";
import { registerResources } from "./resources.js";
import { seedCirros, seedFlavors, seedNetworking } from "./seed.js";
import { registerServers } from "./servers.js";

const PROJECT = ":project_id{[0-9a-f]{32}}";

function versionDoc(sim: SimState, which: "v2.0" | "v2.1") {
  const c = sim.profile.compute;
  const href = which === "v2.1" ? `${sim.baseUrl}/compute/v2.1/` : `${sim.baseUrl}/compute/v2/`;
  return {
    id: which,
    links: [{ href, rel: "self" }],
    status: which === "v2.1" ? "CURRENT" : "SUPPORTED",
    version: which === "v2.1" ? c.maxVersion : "",
    min_version: which === "v2.1" ? c.minVersion : "",
    updated: which === "v2.1" ? "2013-07-23T11:33:21Z" : "2011-01-21T11:33:21Z",
  };
}

function checkProject(c: SimContext): void {
  const pid = c.req.param("project_id");
  // NOTE: nova rejects a URL whose project id is not the token's (unless admin acting on it).
  if (
    pid !== undefined &&
    pid !== c.var.token.project_id &&
    !c.var.token.role_ids.some((r) => c.var.sim.world.roles.get(r)?.name === "admin")
  ) {
    throw badRequest(
      `Malformed request URL: URL's project_id '${pid}' doesn't match Context's project_id '${c.var.token.project_id}'`,
    );
  }
}

/** nova v2.1 (and the legacy v2 endpoint where the profile has it). */
export const computeModule: ServiceModule = {
  name: "compute",
  prefix: "/compute",
  errorStyle: novaErrorStyle,
  enabled: () => true,
  catalog(sim, projectId) {
    const url =
      sim.profile.projectIdInEndpoints && projectId
        ? `${sim.baseUrl}/compute/v2.1/${projectId}`
        : `${sim.baseUrl}/compute/v2.1`;
    const out = [{ type: "compute", name: "nova", url }];
    if (sim.profile.compute.legacyV2 && projectId) {
      out.push({
        type: "compute_legacy",
        name: "nova_legacy",
        url: `${sim.baseUrl}/compute/v2/${projectId}`,
      });
    }
    return out;
  },
  seed(world) {
    seedFlavors(world);
    seedCirros(world);
    seedNetworking(world);
  },
  register(router) {
    const { sim } = router;
    const spec = {
      serviceType: "compute",
      legacyHeader: "X-OpenStack-Nova-API-Version",
      min: sim.profile.compute.minVersion,
      max: sim.profile.compute.maxVersion,
    };
    const open = router.group({ bases: [""], auth: false });
    open.get("/", (c) => json(c, 200, { versions: [versionDoc(sim, "v2.0"), versionDoc(sim, "v2.1")] }));
    const docs = router.group({ bases: ["/v2.1"], auth: false });
    docs.get("", (c) =>
      json(c, 200, {
        version: {
          ...versionDoc(sim, "v2.1"),
          "media-types": [
            { base: "application/json", type: "application/vnd.openstack.compute+json;version=2.1" },
          ],
        },
      }),
    );
    const bases = ["/v2.1", `/v2.1/${PROJECT}`];
    const groups = [
      router.group({
        bases,
        before: (c) => {
          checkProject(c);
          negotiateMicroversion(c, spec);
        },
      }),
    ];
    if (sim.profile.compute.legacyV2) {
      groups.push(
        router.group({
          bases: [`/v2/${PROJECT}`],
          before: (c) => {
            checkProject(c);
            // NOTE: the legacy v2 endpoint has no microversions; it behaves like 2.1 and sends no version headers.
            c.set("microversion", "2.1");
          },
        }),
      );
    }
    for (const g of groups) {
      registerServers(g, sim);
      registerActions(g, sim);
      registerResources(g, sim);
      registerNovaNetwork(g, sim);
      registerInterfaces(g, sim);
      registerExtensions(g);
    }
  },
};

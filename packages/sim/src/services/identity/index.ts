import { keystoneErrorStyle, SimError } from "../../core/errors.js";
import { empty, json, readJson } from "../../core/http.js";
import type { ServiceModule, SimContext } from "../../core/service.js";
import { catalogV3 } from "./catalog.js";
import { registerResources } from "./resources.js";
import { seedIdentity } from "./seed.js";
import { issueV3, tokenBodyV3 } from "./tokens.js";
import { registerV2 } from "./v2.js";

function v3Version(base: string) {
  return {
    id: "v3.14",
    links: [{ href: `${base}/identity/v3/`, rel: "self" }],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
    status: "stable",
    updated: "2020-04-07T00:00:00Z",
  };
}

function v2Version(base: string) {
  return {
    id: "v2.0",
    links: [
      { href: `${base}/identity/v2.0/`, rel: "self" },
      { href: "https://docs.openstack.org/", rel: "describedby", type: "text/html" },
    ],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v2.0+json" }],
    status: "deprecated",
    updated: "2016-08-04T00:00:00Z",
  };
}

function validateSubject(c: SimContext) {
  const world = c.var.sim.world;
  const subject = c.req.header("x-subject-token");
  if (!subject) throw new SimError(400, "Expecting to find X-Subject-Token in headers.");
  const t = world.tokens.get(subject);
  if (!t || t.revoked || t.expires_at <= world.clock.now()) {
    throw new SimError(404, `Could not find token: ${subject}.`);
  }
  return t;
}

/** keystone: version discovery, v3 tokens and a minimal identity API; v2.0 tokens where the profile has them. */
export const identityModule: ServiceModule = {
  name: "identity",
  prefix: "/identity",
  errorStyle: keystoneErrorStyle,
  enabled: () => true,
  catalog: (sim) => [{ type: "identity", name: "keystone", url: `${sim.baseUrl}/identity` }],
  seed: seedIdentity,
  register(router) {
    const { sim } = router;
    const root = router.group({ bases: [""], auth: false });
    root.get("/", (c) => {
      const values = [];
      if (sim.profile.identity.v3) values.push(v3Version(sim.baseUrl));
      if (sim.profile.identity.v2) values.push(v2Version(sim.baseUrl));
      // NOTE: keystone answers its root with 300 Multiple Choices.
      return json(c, 300, { versions: { values } });
    });
    if (sim.profile.identity.v3) {
      const open = router.group({ bases: ["/v3"], auth: false });
      open.get("", (c) => json(c, 200, { version: v3Version(sim.baseUrl) }));
      open.post("/auth/tokens", async (c) => {
        const body = await readJson(c);
        const token = issueV3(sim.world, body, undefined);
        const nocatalog = c.req.query("nocatalog") !== undefined;
        return json(c, 201, tokenBodyV3(sim, token, !nocatalog), { "X-Subject-Token": token.id });
      });
      const v3 = router.group({ bases: ["/v3"] });
      v3.get("/auth/tokens", (c) => {
        const t = validateSubject(c);
        const nocatalog = c.req.query("nocatalog") !== undefined;
        return json(c, 200, tokenBodyV3(sim, t, !nocatalog), { "X-Subject-Token": t.id });
      });
      v3.head("/auth/tokens", (c) => {
        validateSubject(c);
        return empty(c, 200);
      });
      v3.delete("/auth/tokens", (c) => {
        const t = validateSubject(c);
        t.revoked = true;
        return empty(c, 204);
      });
      v3.get("/auth/catalog", (c) => {
        const t = c.var.token;
        if (!t.project_id)
          throw new SimError(403, "A project-scoped token is required to produce a service catalog.");
        return json(c, 200, {
          catalog: catalogV3(sim, t.project_id),
          links: { self: `${sim.baseUrl}/identity/v3/auth/catalog`, previous: null, next: null },
        });
      });
      registerResources(v3, sim);
    }
    if (sim.profile.identity.v2) registerV2(router, v2Version(sim.baseUrl));
  },
};

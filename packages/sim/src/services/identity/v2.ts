import { keystoneErrorStyle, SimError } from "../../core/errors.js";
import { json, readJson } from "../../core/http.js";
import type { TokenRecord } from "../../core/records.js";
import type { ServiceRouter, SimState } from "../../core/service.js";
import { catalogV2 } from "./catalog.js";
import { issueV2 } from "./tokens.js";

function accessBody(sim: SimState, t: TokenRecord) {
  const world = sim.world;
  const user = world.users.get(t.user_id)!;
  const project = t.project_id ? world.projects.get(t.project_id) : undefined;
  return {
    access: {
      token: {
        issued_at: new Date(t.issued_at).toISOString().replace("Z", "000"),
        expires: world.clock.isoSeconds(t.expires_at),
        id: t.id,
        ...(project
          ? {
              tenant: {
                description: project.description || null,
                enabled: project.enabled,
                id: project.id,
                name: project.name,
              },
            }
          : {}),
        audit_ids: [t.audit_id],
      },
      serviceCatalog: project ? catalogV2(sim, project.id) : [],
      user: {
        username: user.name,
        roles_links: [],
        id: user.id,
        roles: t.role_ids.map((id) => ({ id, name: world.roles.get(id)?.name ?? "" })),
        name: user.name,
      },
      metadata: { is_admin: 0, roles: [...t.role_ids] },
    },
  };
}

/** keystone v2.0: version document, `POST /v2.0/tokens`, tenants of a token, admin token validation. */
export function registerV2(router: ServiceRouter, version: unknown): void {
  const { sim } = router;
  const open = router.group({ bases: ["/v2.0"], auth: false });
  open.get("", (c) => json(c, 200, { version }));
  open.post("/tokens", async (c) => {
    const token = issueV2(sim.world, await readJson(c));
    // NOTE: keystone v2.0 answers a token request with 200, not 201.
    return json(c, 200, accessBody(sim, token));
  });
  const v2 = router.group({ bases: ["/v2.0"] });
  v2.get("/tenants", (c) => {
    const uid = c.var.token.user_id;
    const ids = new Set(sim.world.assignments.filter((a) => a.user_id === uid).map((a) => a.project_id));
    const tenants = sim.world.projects
      .filter((p) => ids.has(p.id))
      .map((p) => ({ description: p.description || null, enabled: p.enabled, id: p.id, name: p.name }));
    return json(c, 200, { tenants, tenants_links: [] });
  });
  v2.get("/tokens/:token_id", (c) => {
    const t = sim.world.tokens.get(c.req.param("token_id")!);
    if (!t || t.revoked || t.expires_at <= sim.world.clock.now()) {
      throw new SimError(404, `Could not find token: ${c.req.param("token_id")}`, {
        style: keystoneErrorStyle,
      });
    }
    return json(c, 200, accessBody(sim, t));
  });
}

import { randomBytes } from "node:crypto";
import { isAdmin } from "../../core/auth.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import { empty, json, member, optBool, optString, readJson } from "../../core/http.js";
import type { AppCredentialRecord, ProjectRecord, RoleRecord, UserRecord } from "../../core/records.js";
import type { RouteGroup, SimContext, SimState } from "../../core/service.js";
import { catalogEntries, stableId } from "./catalog.js";
import { createProject, grantRole } from "./seed.js";

function denied(action: string) {
  return forbidden(`You are not authorized to perform the requested action: identity:${action}.`);
}

function requireAdmin(c: SimContext, action: string): void {
  if (!isAdmin(c)) throw denied(action);
}

function listLinks(sim: SimState, path: string) {
  return { self: `${sim.baseUrl}/identity/v3/${path}`, previous: null, next: null };
}

function projectView(sim: SimState, p: ProjectRecord) {
  return {
    is_domain: false,
    description: p.description,
    domain_id: p.domain_id,
    enabled: p.enabled,
    id: p.id,
    links: { self: `${sim.baseUrl}/identity/v3/projects/${p.id}` },
    name: p.name,
    parent_id: p.parent_id,
    tags: p.tags,
    options: {},
  };
}

function userView(sim: SimState, u: UserRecord) {
  return {
    default_project_id: u.default_project_id,
    domain_id: u.domain_id,
    enabled: u.enabled,
    federated: [],
    id: u.id,
    links: { self: `${sim.baseUrl}/identity/v3/users/${u.id}` },
    name: u.name,
    password_expires_at:
      u.password_expires_at === null ? null : sim.world.clock.isoMicros(u.password_expires_at),
    options: {},
    ...(u.email === null ? {} : { email: u.email }),
  };
}

function roleView(sim: SimState, r: RoleRecord) {
  return {
    domain_id: r.domain_id,
    id: r.id,
    links: { self: `${sim.baseUrl}/identity/v3/roles/${r.id}` },
    description: r.description,
    name: r.name,
    options: {},
  };
}

function appCredView(sim: SimState, a: AppCredentialRecord, withSecret: boolean) {
  return {
    description: a.description,
    roles: a.role_ids.map((id) => ({ id, domain_id: null, name: sim.world.roles.get(id)?.name ?? "" })),
    access_rules: [],
    links: { self: `${sim.baseUrl}/identity/v3/users/${a.user_id}/application_credentials/${a.id}` },
    expires_at: a.expires_at === null ? null : new Date(a.expires_at).toISOString().replace("Z", "000"),
    unrestricted: a.unrestricted,
    ...(withSecret ? { secret: a.secret } : {}),
    project_id: a.project_id,
    id: a.id,
    name: a.name,
  };
}

function ownUser(c: SimContext): string {
  const userId = c.req.param("user_id")!;
  if (userId !== c.var.token.user_id && !isAdmin(c)) throw denied("get_user");
  if (!c.var.sim.world.users.has(userId)) throw notFound(`Could not find user: ${userId}.`);
  return userId;
}

/** Registers projects, users, roles, domains, role assignments, application credentials, services, endpoints. */
export function registerResources(v3: RouteGroup, sim: SimState): void {
  const world = sim.world;

  v3.get("/auth/projects", (c) => {
    const uid = c.var.token.user_id;
    const ids = new Set(world.assignments.filter((a) => a.user_id === uid).map((a) => a.project_id));
    const projects = world.projects.filter((p) => ids.has(p.id)).map((p) => projectView(sim, p));
    return json(c, 200, { projects, links: listLinks(sim, "auth/projects") });
  });
  v3.get("/projects", (c) => {
    requireAdmin(c, "list_projects");
    const name = c.req.query("name");
    const domainId = c.req.query("domain_id");
    const projects = world.projects
      .filter(
        (p) =>
          (name === undefined || p.name === name) && (domainId === undefined || p.domain_id === domainId),
      )
      .map((p) => projectView(sim, p));
    return json(c, 200, { projects, links: listLinks(sim, "projects") });
  });
  v3.get("/projects/:project_id", (c) => {
    const id = c.req.param("project_id")!;
    const p = world.projects.get(id);
    if (!p) throw notFound(`Could not find project: ${id}.`);
    if (!isAdmin(c) && c.var.token.project_id !== id) throw denied("get_project");
    return json(c, 200, { project: projectView(sim, p) });
  });
  v3.post("/projects", async (c) => {
    requireAdmin(c, "create_project");
    const body = member(await readJson(c), "project");
    const name = optString(body, "name", "project.name");
    if (!name) throw badRequest("Invalid input for field 'name': 'name' is a required property.");
    const domainId = optString(body, "domain_id", "project.domain_id") ?? "default";
    if (world.projects.find((p) => p.name === name && p.domain_id === domainId)) {
      throw conflict(
        `Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : ${name}.`,
      );
    }
    const id = createProject(world, name, domainId);
    const p = world.projects.get(id)!;
    p.description = optString(body, "description") ?? "";
    p.enabled = optBool(body, "enabled") ?? true;
    return json(c, 201, { project: projectView(sim, p) });
  });
  v3.patch("/projects/:project_id", async (c) => {
    requireAdmin(c, "update_project");
    const p = world.projects.get(c.req.param("project_id")!);
    if (!p) throw notFound(`Could not find project: ${c.req.param("project_id")}.`);
    const body = member(await readJson(c), "project");
    p.name = optString(body, "name") ?? p.name;
    p.description = optString(body, "description") ?? p.description;
    p.enabled = optBool(body, "enabled") ?? p.enabled;
    return json(c, 200, { project: projectView(sim, p) });
  });
  v3.delete("/projects/:project_id", (c) => {
    requireAdmin(c, "delete_project");
    const id = c.req.param("project_id")!;
    if (!world.projects.remove(id)) throw notFound(`Could not find project: ${id}.`);
    world.assignments = world.assignments.filter((a) => a.project_id !== id);
    return empty(c, 204);
  });

  v3.get("/users", (c) => {
    requireAdmin(c, "list_users");
    const name = c.req.query("name");
    const users = world.users
      .filter((u) => name === undefined || u.name === name)
      .map((u) => userView(sim, u));
    return json(c, 200, { users, links: listLinks(sim, "users") });
  });
  v3.get("/users/:user_id", (c) => json(c, 200, { user: userView(sim, world.users.get(ownUser(c))!) }));
  v3.post("/users", async (c) => {
    requireAdmin(c, "create_user");
    const body = member(await readJson(c), "user");
    const name = optString(body, "name", "user.name");
    if (!name) throw badRequest("Invalid input for field 'name': 'name' is a required property.");
    const domainId = optString(body, "domain_id") ?? "default";
    if (world.users.find((u) => u.name === name && u.domain_id === domainId)) {
      throw conflict(
        `Conflict occurred attempting to store user - Duplicate entry found with name ${name} at domain ID ${domainId}.`,
      );
    }
    const u = world.users.insert({
      id: world.ids.hex(),
      project_id: "",
      seq: world.ids.seq(),
      name,
      domain_id: domainId,
      password: optString(body, "password") ?? "",
      enabled: optBool(body, "enabled") ?? true,
      default_project_id: optString(body, "default_project_id") ?? null,
      email: optString(body, "email") ?? null,
      password_expires_at: null,
    });
    return json(c, 201, { user: userView(sim, u) });
  });
  v3.delete("/users/:user_id", (c) => {
    requireAdmin(c, "delete_user");
    const id = c.req.param("user_id")!;
    if (!world.users.remove(id)) throw notFound(`Could not find user: ${id}.`);
    world.assignments = world.assignments.filter((a) => a.user_id !== id);
    return empty(c, 204);
  });
  v3.get("/users/:user_id/projects", (c) => {
    const uid = ownUser(c);
    const ids = new Set(world.assignments.filter((a) => a.user_id === uid).map((a) => a.project_id));
    const projects = world.projects.filter((p) => ids.has(p.id)).map((p) => projectView(sim, p));
    return json(c, 200, { projects, links: listLinks(sim, `users/${uid}/projects`) });
  });

  v3.get("/roles", (c) => {
    const name = c.req.query("name");
    const roles = world.roles
      .filter((r) => name === undefined || r.name === name)
      .map((r) => roleView(sim, r));
    return json(c, 200, { roles, links: listLinks(sim, "roles") });
  });
  v3.get("/roles/:role_id", (c) => {
    const r = world.roles.get(c.req.param("role_id")!);
    if (!r) throw notFound(`Could not find role: ${c.req.param("role_id")}.`);
    return json(c, 200, { role: roleView(sim, r) });
  });
  v3.put("/projects/:project_id/users/:user_id/roles/:role_id", (c) => {
    requireAdmin(c, "create_grant");
    const project_id = c.req.param("project_id")!;
    const user_id = c.req.param("user_id")!;
    const role_id = c.req.param("role_id")!;
    const role = world.roles.get(role_id);
    if (!world.projects.has(project_id)) throw notFound(`Could not find project: ${project_id}.`);
    if (!world.users.has(user_id)) throw notFound(`Could not find user: ${user_id}.`);
    if (!role) throw notFound(`Could not find role: ${role_id}.`);
    grantRole(world, user_id, project_id, role.name);
    return empty(c, 204);
  });
  v3.get("/role_assignments", (c) => {
    const userFilter = c.req.query("user.id");
    const projectFilter = c.req.query("scope.project.id");
    if (!isAdmin(c) && userFilter !== c.var.token.user_id) throw denied("list_role_assignments");
    const role_assignments = world.assignments
      .filter(
        (a) =>
          (userFilter === undefined || a.user_id === userFilter) &&
          (projectFilter === undefined || a.project_id === projectFilter),
      )
      .map((a) => ({
        links: {
          assignment: `${sim.baseUrl}/identity/v3/projects/${a.project_id}/users/${a.user_id}/roles/${a.role_id}`,
        },
        role: { id: a.role_id },
        scope: { project: { id: a.project_id } },
        user: { id: a.user_id },
      }));
    return json(c, 200, { role_assignments, links: listLinks(sim, "role_assignments") });
  });

  const domainView = (id: string) => {
    const d = world.domains.get(id)!;
    return {
      description: d.description,
      enabled: d.enabled,
      id: d.id,
      links: { self: `${sim.baseUrl}/identity/v3/domains/${d.id}` },
      name: d.name,
      options: {},
      tags: [],
    };
  };
  v3.get("/domains", (c) => {
    requireAdmin(c, "list_domains");
    const name = c.req.query("name");
    const domains = world.domains
      .filter((d) => name === undefined || d.name === name)
      .map((d) => domainView(d.id));
    return json(c, 200, { domains, links: listLinks(sim, "domains") });
  });
  v3.get("/domains/:domain_id", (c) => {
    const id = c.req.param("domain_id")!;
    if (!world.domains.has(id)) throw notFound(`Could not find domain: ${id}.`);
    return json(c, 200, { domain: domainView(id) });
  });

  v3.get("/users/:user_id/application_credentials", (c) => {
    const uid = ownUser(c);
    const name = c.req.query("name");
    const application_credentials = world.appCredentials
      .filter((a) => a.user_id === uid && (name === undefined || a.name === name))
      .map((a) => appCredView(sim, a, false));
    return json(c, 200, {
      application_credentials,
      links: listLinks(sim, `users/${uid}/application_credentials`),
    });
  });
  v3.get("/users/:user_id/application_credentials/:id", (c) => {
    const uid = ownUser(c);
    const a = world.appCredentials.get(c.req.param("id")!);
    if (!a || a.user_id !== uid)
      throw notFound(`Could not find Application Credential: ${c.req.param("id")}.`);
    return json(c, 200, { application_credential: appCredView(sim, a, false) });
  });
  v3.post("/users/:user_id/application_credentials", async (c) => {
    const uid = ownUser(c);
    const token = c.var.token;
    if (!token.project_id) throw forbidden("Application credentials require a project-scoped token.");
    if (token.app_credential_id)
      throw forbidden(
        "Using method 'application_credential' is not allowed for managing additional application credentials.",
      );
    const body = member(await readJson(c), "application_credential");
    const name = optString(body, "name", "application_credential.name");
    if (!name) throw badRequest("Invalid input for field 'name': 'name' is a required property.");
    if (world.appCredentials.find((a) => a.user_id === uid && a.name === name)) {
      throw conflict(
        `Conflict occurred attempting to store application_credential - Duplicate entry found with name ${name}.`,
      );
    }
    const expires = optString(body, "expires_at", "application_credential.expires_at");
    const expiresAt =
      expires === undefined ? null : Date.parse(expires.endsWith("Z") ? expires : `${expires}Z`);
    if (expiresAt !== null && Number.isNaN(expiresAt))
      throw badRequest(`Invalid input for field 'expires_at': ${expires}`);
    const a = world.appCredentials.insert({
      id: world.ids.hex(),
      project_id: token.project_id,
      seq: world.ids.seq(),
      name,
      user_id: uid,
      secret: optString(body, "secret") ?? randomBytes(48).toString("base64url"),
      description: optString(body, "description") ?? null,
      role_ids: [...token.role_ids],
      expires_at: expiresAt,
      unrestricted: optBool(body, "unrestricted") ?? false,
    });
    return json(c, 201, { application_credential: appCredView(sim, a, true) });
  });
  v3.delete("/users/:user_id/application_credentials/:id", (c) => {
    const uid = ownUser(c);
    const a = world.appCredentials.get(c.req.param("id")!);
    if (!a || a.user_id !== uid)
      throw notFound(`Could not find Application Credential: ${c.req.param("id")}.`);
    world.appCredentials.remove(a.id);
    for (const t of world.tokens.values()) if (t.app_credential_id === a.id) t.revoked = true;
    return empty(c, 204);
  });

  v3.get("/services", (c) => {
    const services = catalogEntries(sim, "").map((e) => ({
      description: "",
      enabled: true,
      id: e.id,
      links: { self: `${sim.baseUrl}/identity/v3/services/${e.id}` },
      name: e.name,
      type: e.type,
    }));
    return json(c, 200, { services, links: listLinks(sim, "services") });
  });
  v3.get("/endpoints", (c) => {
    const project = c.var.token.project_id ?? "";
    const endpoints = catalogEntries(sim, project).flatMap((e) =>
      (["public", "internal", "admin"] as const).map((iface) => {
        const id = stableId("endpoint", e.type, iface, project);
        return {
          enabled: true,
          id,
          interface: iface,
          links: { self: `${sim.baseUrl}/identity/v3/endpoints/${id}` },
          region: sim.profile.region,
          region_id: sim.profile.region,
          service_id: e.id,
          url: e.url,
        };
      }),
    );
    return json(c, 200, { endpoints, links: listLinks(sim, "endpoints") });
  });
  v3.get("/regions", (c) =>
    json(c, 200, {
      regions: [
        {
          description: "",
          id: sim.profile.region,
          links: { self: `${sim.baseUrl}/identity/v3/regions/${sim.profile.region}` },
          parent_region_id: null,
        },
      ],
      links: listLinks(sim, "regions"),
    }),
  );
}

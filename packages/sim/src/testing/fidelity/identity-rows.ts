import { type FidelityContext, type FidelityRow, row } from "./types.js";

const K = "keystone/v3/samples/admin";
const V2 = "keystone-v2.0-historical/v2/samples/admin";
const id = (path: string) => ({ path: `/identity${path}` });
const subject = (x: FidelityContext) => ({ "x-subject-token": x.demo.token });
const passwordAuth = (project?: string) => ({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: "demo", password: "secret", domain: { id: "default" } } },
    },
    ...(project ? { scope: { project: { name: project, domain: { id: "default" } } } } : {}),
  },
});
const userId = (x: FidelityContext, name: string) =>
  x.sim.admin.state.world.users.find((u) => u.name === name)!.id;
const roleId = (x: FidelityContext, name: string) =>
  x.sim.admin.state.world.roles.find((r) => r.name === name)!.id;

async function appCredential(x: FidelityContext): Promise<string> {
  const res = await x.demo.call("POST", `/identity/v3/users/${userId(x, "demo")}/application_credentials`, {
    application_credential: { name: x.name("ac") },
  });
  return (res.body as { application_credential: { id: string } }).application_credential.id;
}

/** Why keys the older samples lack are right (see `FidelityRow.exceptions`). */
const OPTIONS = "keystone sends resource options since Queens; the sample predates them";
const TAGS = "keystone sends project tags since Queens (domains are projects); the sample predates them";
const IS_DOMAIN = "keystone's project view has is_domain; this sample leaves it out";
const SCOPED = "demo has a default project, so keystone scopes a scope-less request to it";
const FEDERATED = "the simulator models no federated identities (an empty list)";
const ASSIGNMENTS = "the sample shows group and domain assignments; the simulator has user-on-project ones";
const ACCESS_RULES = "the simulator models no application credential access rules (an empty list)";
const V2_KILO = "Kilo's keystone v2.0 sends it; the historical sample predates it";

/** keystone v3 (modern) and v2.0 (kilo). */
export const IDENTITY_ROWS: readonly FidelityRow[] = [
  row("identity", "GET /", 300, () => id("/"), {
    as: "none",
    sample: `${K}/identity-versions-response.json`,
    check: async (_res, x) => {
      // NOTE: every service root answers with and without a trailing slash.
      if ((await fetch(`${x.sim.url}/identity/`)).status !== 300) throw new Error("/identity/ is not 300");
    },
  }),
  row("identity", "GET /v3", 200, () => id("/v3"), {
    as: "none",
    sample: `${K}/identity-version-response.json`,
  }),
  row(
    "identity",
    "POST /v3/auth/tokens",
    201,
    () => ({ ...id("/v3/auth/tokens"), body: passwordAuth("demo") }),
    {
      as: "none",
      sample: `${K}/auth-password-project-scoped-response.json`,
      check: (res) => {
        if (!res.headers.get("x-subject-token")) throw new Error("no X-Subject-Token");
      },
    },
  ),
  row("identity", "POST /v3/auth/tokens", 201, () => ({ ...id("/v3/auth/tokens"), body: passwordAuth() }), {
    as: "none",
    sample: `${K}/auth-password-unscoped-response.json`,
    exceptions: {
      "token.project": SCOPED,
      "token.is_domain": SCOPED,
      "token.roles": SCOPED,
      "token.catalog": SCOPED,
    },
    // NOTE: demo has a default project, so keystone scopes a scope-less request to it (extra keys only).
  }),
  row("identity", "GET /v3/auth/tokens", 200, (x) => ({ ...id("/v3/auth/tokens"), headers: subject(x) }), {
    sample: `${K}/auth-password-project-scoped-response.json`,
    check: (res) => {
      if (!res.headers.get("x-subject-token")) throw new Error("no X-Subject-Token");
    },
  }),
  row("identity", "HEAD /v3/auth/tokens", 200, (x) => ({ ...id("/v3/auth/tokens"), headers: subject(x) }), {
    noSample: "HEAD has no body",
  }),
  row(
    "identity",
    "DELETE /v3/auth/tokens",
    204,
    async (x) => {
      const res = await fetch(`${x.sim.url}/identity/v3/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(passwordAuth("demo")),
      });
      return {
        ...id("/v3/auth/tokens"),
        headers: { "x-subject-token": res.headers.get("x-subject-token")! },
      };
    },
    { noSample: "204 without a body" },
  ),
  row("identity", "GET /v3/auth/catalog", 200, () => id("/v3/auth/catalog"), {
    sample: `${K}/get-service-catalog-response.json`,
    exceptions: {
      "catalog[].endpoints[].region_id":
        "keystone sends region_id beside the older region key; the sample shows only region",
    },
  }),
  row("identity", "GET /v3/auth/projects", 200, () => id("/v3/auth/projects"), {
    sample: `${K}/projects-list-response.json`,
    exceptions: { "projects[].options": OPTIONS },
  }),
  row("identity", "GET /v3/projects", 200, () => id("/v3/projects"), {
    as: "admin",
    sample: `${K}/projects-list-response.json`,
    exceptions: { "projects[].options": OPTIONS },
  }),
  row("identity", "GET /v3/projects/{project_id}", 200, (x) => id(`/v3/projects/${x.demo.projectId}`), {
    sample: `${K}/project-show-response.json`,
    exceptions: { "project.tags": TAGS },
  }),
  row(
    "identity",
    "POST /v3/projects",
    201,
    (x) => ({ ...id("/v3/projects"), body: { project: { name: x.name("p") } } }),
    {
      as: "admin",
      sample: `${K}/project-create-response.json`,
    },
  ),
  row(
    "identity",
    "PATCH /v3/projects/{project_id}",
    200,
    async (x) => {
      const p = await x.admin.call("POST", "/identity/v3/projects", { project: { name: x.name("p") } });
      const pid = (p.body as { project: { id: string } }).project.id;
      return { ...id(`/v3/projects/${pid}`), body: { project: { description: "changed" } } };
    },
    { as: "admin", sample: `${K}/project-update-response.json` },
  ),
  row(
    "identity",
    "DELETE /v3/projects/{project_id}",
    204,
    async (x) => {
      const p = await x.admin.call("POST", "/identity/v3/projects", { project: { name: x.name("p") } });
      return id(`/v3/projects/${(p.body as { project: { id: string } }).project.id}`);
    },
    { as: "admin", noSample: "204 without a body" },
  ),
  row("identity", "GET /v3/users", 200, () => id("/v3/users"), {
    as: "admin",
    sample: `${K}/users-list-response.json`,
    exceptions: {
      "users[].options": OPTIONS,
      "users[].default_project_id":
        "the seeded users have a default project (keystone shows the key when set)",
      "users[].federated": FEDERATED,
    },
    // NOTE: keystone omits email (an extra attribute) when unset; the sample's users have one.
    ignore: ["users[].email"],
  }),
  row("identity", "GET /v3/users/{user_id}", 200, (x) => id(`/v3/users/${userId(x, "demo")}`), {
    sample: `${K}/user-show-response.json`,
    exceptions: { "user.options": OPTIONS },
  }),
  row(
    "identity",
    "POST /v3/users",
    201,
    (x) => ({ ...id("/v3/users"), body: { user: { name: x.name("u"), password: "p" } } }),
    {
      as: "admin",
      sample: `${K}/user-create-response.json`,
      exceptions: { "user.federated": FEDERATED },
      ignore: ["user.email", "user.description", "user.options.*"],
    },
  ),
  row(
    "identity",
    "DELETE /v3/users/{user_id}",
    204,
    async (x) => {
      const u = await x.admin.call("POST", "/identity/v3/users", { user: { name: x.name("u") } });
      return id(`/v3/users/${(u.body as { user: { id: string } }).user.id}`);
    },
    { as: "admin", noSample: "204 without a body" },
  ),
  row(
    "identity",
    "GET /v3/users/{user_id}/projects",
    200,
    (x) => id(`/v3/users/${userId(x, "demo")}/projects`),
    {
      sample: `${K}/user-projects-list-response.json`,
      exceptions: {
        "projects[].is_domain": IS_DOMAIN,
        "projects[].tags": TAGS,
        "projects[].options": OPTIONS,
      },
    },
  ),
  row("identity", "GET /v3/roles", 200, () => id("/v3/roles"), {
    sample: `${K}/roles-list-response.json`,
    exceptions: {
      "roles[].domain_id":
        "keystone sends domain_id (null for global roles); the sample predates domain-specific roles",
      "roles[].options": OPTIONS,
    },
  }),
  row("identity", "GET /v3/roles/{role_id}", 200, (x) => id(`/v3/roles/${roleId(x, "member")}`), {
    sample: `${K}/role-show-response.json`,
  }),
  row(
    "identity",
    "PUT /v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
    204,
    (x) => id(`/v3/projects/${x.demo.projectId}/users/${userId(x, "demo")}/roles/${roleId(x, "reader")}`),
    { as: "admin", noSample: "204 without a body" },
  ),
  row("identity", "GET /v3/role_assignments", 200, () => id("/v3/role_assignments"), {
    as: "admin",
    sample: `${K}/role-assignments-list-response.json`,
    exceptions: { "role_assignments[].user": ASSIGNMENTS, "role_assignments[].scope.project": ASSIGNMENTS },
    // The sample mixes group and domain assignments; the simulator has user-on-project ones only.
    ignore: ["role_assignments[].group", "role_assignments[].scope.domain"],
  }),
  row("identity", "GET /v3/domains", 200, () => id("/v3/domains"), {
    as: "admin",
    sample: `${K}/domains-list-response.json`,
    exceptions: { "domains[].options": OPTIONS, "domains[].tags": TAGS },
  }),
  row("identity", "GET /v3/domains/{domain_id}", 200, () => id("/v3/domains/default"), {
    sample: `${K}/domain-show-response.json`,
    exceptions: { "domain.tags": TAGS },
  }),
  row(
    "identity",
    "GET /v3/users/{user_id}/application_credentials",
    200,
    async (x) => {
      await appCredential(x);
      return id(`/v3/users/${userId(x, "demo")}/application_credentials`);
    },
    { sample: `${K}/application-credential-list-response.json` },
  ),
  row(
    "identity",
    "GET /v3/users/{user_id}/application_credentials/{id}",
    200,
    async (x) => id(`/v3/users/${userId(x, "demo")}/application_credentials/${await appCredential(x)}`),
    {
      sample: `${K}/application-credential-get-response.json`,
      exceptions: { "application_credential.access_rules": ACCESS_RULES },
    },
  ),
  row(
    "identity",
    "POST /v3/users/{user_id}/application_credentials",
    201,
    (x) => ({
      ...id(`/v3/users/${userId(x, "demo")}/application_credentials`),
      body: { application_credential: { name: x.name("ac"), description: "d" } },
    }),
    {
      sample: `${K}/application-credential-create-response.json`,
      exceptions: { "application_credential.access_rules": ACCESS_RULES },
    },
  ),
  row(
    "identity",
    "DELETE /v3/users/{user_id}/application_credentials/{id}",
    204,
    async (x) => id(`/v3/users/${userId(x, "demo")}/application_credentials/${await appCredential(x)}`),
    { noSample: "204 without a body" },
  ),
  row("identity", "GET /v3/services", 200, () => id("/v3/services"), {
    sample: `${K}/services-list-response.json`,
  }),
  row("identity", "GET /v3/endpoints", 200, () => id("/v3/endpoints"), {
    sample: `${K}/endpoints-list-response.json`,
  }),
  row("identity", "GET /v3/regions", 200, () => id("/v3/regions"), {
    sample: `${K}/regions-list-response.json`,
  }),

  // keystone v2.0 (kilo profile)
  row("identity", "GET /v2.0", 200, () => id("/v2.0"), {
    profile: "kilo",
    as: "none",
    sample: `${V2}/version-show-response.json`,
  }),
  row(
    "identity",
    "POST /v2.0/tokens",
    200,
    () => ({
      ...id("/v2.0/tokens"),
      body: { auth: { passwordCredentials: { username: "demo", password: "secret" }, tenantName: "demo" } },
    }),
    {
      profile: "kilo",
      as: "none",
      sample: `${V2}/authenticate-response.json`,
      exceptions: { "access.token.audit_ids": V2_KILO, "access.user.roles[].id": V2_KILO },
      ignore: ["access.trust"],
    },
  ),
  row("identity", "GET /v2.0/tenants", 200, () => id("/v2.0/tenants"), {
    profile: "kilo",
    sample: `${V2}/tenants-list-response.json`,
  }),
  row("identity", "GET /v2.0/tokens/{token_id}", 200, (x) => id(`/v2.0/tokens/${x.demo.token}`), {
    profile: "kilo",
    as: "admin",
    sample: "keystone-v2.0-historical/v2-admin/samples/admin/token-validate-response.json",
    exceptions: {
      "access.token.tenant.description": V2_KILO,
      "access.token.tenant.enabled": V2_KILO,
      "access.token.issued_at": V2_KILO,
      "access.token.audit_ids": V2_KILO,
      "access.user.username": V2_KILO,
      "access.serviceCatalog": V2_KILO,
      "access.metadata": V2_KILO,
    },
  }),
];

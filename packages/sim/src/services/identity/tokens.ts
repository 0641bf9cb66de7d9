import { randomBytes } from "node:crypto";
import { badRequest, keystoneErrorStyle, notFound, SimError } from "../../core/errors.js";
import type { AppCredentialRecord, TokenRecord, UserRecord } from "../../core/records.js";
import type { SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";
import { catalogV3 } from "./catalog.js";

/** A 401 from keystone itself. */
export function authFailed(message = "The request you have made requires authentication."): SimError {
  return new SimError(401, message, { style: keystoneErrorStyle });
}

type Json = Record<string, unknown>;

function obj(v: unknown, field: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw badRequest(`Invalid input for field '${field}': expected an object.`);
  }
  return v as Json;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Resolves `{id}` or `{name}` of a domain reference. */
function domainIdOf(world: World, ref: unknown): string | undefined {
  if (ref === undefined) return undefined;
  const d = obj(ref, "domain");
  const id = str(d.id);
  if (id !== undefined) return world.domains.get(id)?.id ?? `missing:${id}`;
  const name = str(d.name);
  return world.domains.find((x) => x.name === name)?.id ?? `missing:${name}`;
}

/** Finds a user by `{id}` or `{name, domain}`; a 401 when unknown (keystone never says which part was wrong). */
export function findUser(world: World, ref: Json): UserRecord {
  const id = str(ref.id);
  if (id !== undefined) {
    const u = world.users.get(id);
    if (!u) throw authFailed();
    return u;
  }
  const name = str(ref.name);
  if (name === undefined) throw badRequest("Expecting to find id or name in user.");
  const domainId = domainIdOf(world, ref.domain);
  if (domainId === undefined) throw badRequest("Expecting to find domain in user.");
  const u = world.users.find((x) => x.name === name && x.domain_id === domainId);
  if (!u) throw authFailed();
  return u;
}

function newToken(
  world: World,
  t: Omit<TokenRecord, "id" | "issued_at" | "expires_at" | "audit_id" | "revoked">,
) {
  const now = world.clock.now();
  let expires = now + world.tokenLifetimeSeconds * 1000;
  if (t.app_credential_id) {
    const ac = world.appCredentials.get(t.app_credential_id);
    if (ac?.expires_at && ac.expires_at < expires) expires = ac.expires_at;
  }
  const token: TokenRecord = {
    ...t,
    id: world.ids.token(),
    issued_at: now,
    expires_at: expires,
    audit_id: randomBytes(16).toString("base64url").slice(0, 22),
    revoked: false,
  };
  world.tokens.set(token.id, token);
  return token;
}

/** Resolves a v3 `scope` to a project id the user has roles on (null when unscoped). */
function scopeProject(world: World, user: UserRecord, scope: unknown): string | null {
  if (scope === undefined || scope === "unscoped") {
    // NOTE: keystone v3 scopes a token without a scope to the user's default project, if any.
    const dp = user.default_project_id;
    return dp && world.roleNames(user.id, dp).length > 0 ? dp : null;
  }
  const s = obj(scope, "scope");
  if (s.project === undefined) {
    if (s.domain !== undefined || s.system !== undefined) {
      throw authFailed("The simulator supports only project-scoped and unscoped tokens.");
    }
    throw badRequest("Expecting to find project in scope.");
  }
  const p = obj(s.project, "scope.project");
  const id = str(p.id);
  let project = id === undefined ? undefined : world.projects.get(id);
  if (id === undefined) {
    const name = str(p.name);
    const domainId = domainIdOf(world, p.domain);
    if (name === undefined || domainId === undefined)
      throw badRequest("Expecting to find domain in project.");
    project = world.projects.find((x) => x.name === name && x.domain_id === domainId);
  }
  if (!project) throw authFailed(`Could not find project: ${id ?? str(p.name)}.`);
  if (world.roleNames(user.id, project.id).length === 0) {
    throw authFailed(`User ${user.id} has no access to project ${project.id}`);
  }
  return project.id;
}

function roleIdsOf(world: World, userId: string, projectId: string | null): string[] {
  if (!projectId) return [];
  return world.assignments
    .filter((a) => a.user_id === userId && a.project_id === projectId)
    .map((a) => a.role_id);
}

/** Handles the body of `POST /v3/auth/tokens`; returns the new token. */
export function issueV3(world: World, body: unknown, currentToken: TokenRecord | undefined): TokenRecord {
  const auth = obj(obj(body, "auth").auth, "auth");
  const identity = obj(auth.identity, "auth.identity");
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0)
    throw badRequest("Expecting to find methods in identity.");
  const method = str(methods[0]);
  if (method === "password") {
    const pw = obj(identity.password, "identity.password");
    const ref = obj(pw.user, "identity.password.user");
    const user = findUser(world, ref);
    if (!user.enabled || ref.password !== user.password) throw authFailed();
    const project = scopeProject(world, user, auth.scope);
    return newToken(world, {
      user_id: user.id,
      project_id: project,
      role_ids: roleIdsOf(world, user.id, project),
      methods: ["password"],
      app_credential_id: null,
    });
  }
  if (method === "token") {
    const tid = str(obj(identity.token, "identity.token").id);
    const base = tid === undefined ? undefined : world.tokens.get(tid);
    if (!base || base.revoked || base.expires_at <= world.clock.now()) throw authFailed();
    if (base.app_credential_id) throw authFailed("Application credential tokens cannot be rescoped.");
    const user = world.users.get(base.user_id);
    if (!user?.enabled) throw authFailed();
    const project = auth.scope === undefined ? base.project_id : scopeProject(world, user, auth.scope);
    const t = newToken(world, {
      user_id: user.id,
      project_id: project,
      role_ids: roleIdsOf(world, user.id, project),
      methods: ["token", ...base.methods.filter((m) => m !== "token")],
      app_credential_id: null,
    });
    // NOTE: keystone: a rescoped token keeps the expiry of the token it came from.
    return replaceExpiry(world, t, base.expires_at);
  }
  if (method === "application_credential") {
    const ref = obj(identity.application_credential, "identity.application_credential");
    const ac = findAppCredential(world, ref);
    // NOTE: keystone 22 answers an unknown application credential id with 404, not 401.
    if (!ac && str(ref.id) !== undefined) {
      throw notFound(
        `Could not find Application Credential: ${str(ref.id)}.`,
        "ApplicationCredentialNotFound",
      );
    }
    if (!ac || ac.secret !== ref.secret) throw authFailed();
    if (ac.expires_at !== null && ac.expires_at <= world.clock.now()) throw authFailed();
    if (auth.scope !== undefined) {
      throw authFailed("Application credentials cannot request a scope.");
    }
    return newToken(world, {
      user_id: ac.user_id,
      project_id: ac.project_id,
      role_ids: [...ac.role_ids],
      methods: ["application_credential"],
      app_credential_id: ac.id,
    });
  }
  void currentToken;
  throw authFailed(`Attempted to authenticate with an unsupported method: ${method}`);
}

function replaceExpiry(world: World, t: TokenRecord, expiresAt: number): TokenRecord {
  const out = { ...t, expires_at: Math.min(t.expires_at, expiresAt) };
  world.tokens.set(out.id, out);
  return out;
}

function findAppCredential(world: World, ref: Json): AppCredentialRecord | undefined {
  const id = str(ref.id);
  if (id !== undefined) return world.appCredentials.get(id);
  const name = str(ref.name);
  if (name === undefined || ref.user === undefined) {
    throw badRequest("Expecting to find id, or name and user, in application_credential.");
  }
  const user = findUser(world, obj(ref.user, "application_credential.user"));
  return world.appCredentials.find((a) => a.name === name && a.user_id === user.id);
}

/** Issues a token for v2.0 `passwordCredentials` or `token` auth with `tenantName`/`tenantId`. */
export function issueV2(world: World, body: unknown): TokenRecord {
  const auth = obj(obj(body, "auth").auth, "auth");
  let user: UserRecord | undefined;
  let methods: string[];
  if (auth.passwordCredentials !== undefined) {
    const pc = obj(auth.passwordCredentials, "auth.passwordCredentials");
    const name = str(pc.username);
    const id = str(pc.userId);
    // NOTE: keystone v2.0 only sees the default domain.
    user = world.users.find(
      (u) => u.domain_id === "default" && (id !== undefined ? u.id === id : u.name === name),
    );
    if (!user?.enabled || pc.password !== user.password) throw authFailed("Invalid user / password");
    methods = ["password"];
  } else if (auth.token !== undefined) {
    const tid = str(obj(auth.token, "auth.token").id);
    const base = tid === undefined ? undefined : world.tokens.get(tid);
    if (!base || base.revoked || base.expires_at <= world.clock.now()) throw authFailed();
    user = world.users.get(base.user_id);
    if (!user) throw authFailed();
    methods = ["token"];
  } else {
    throw badRequest("Expecting to find passwordCredentials or token in auth.");
  }
  const tid = str(auth.tenantId);
  const tname = str(auth.tenantName);
  let project: string | null = null;
  if (tid !== undefined || tname !== undefined) {
    const p = world.projects.find(
      (x) => x.domain_id === "default" && (tid !== undefined ? x.id === tid : x.name === tname),
    );
    if (!p || world.roleNames(user.id, p.id).length === 0)
      throw authFailed(`Project not found: ${tid ?? tname}`);
    project = p.id;
  }
  return newToken(world, {
    user_id: user.id,
    project_id: project,
    role_ids: roleIdsOf(world, user.id, project),
    methods,
    app_credential_id: null,
  });
}

/** The v3 token body (`{"token": {...}}`). */
export function tokenBodyV3(sim: SimState, t: TokenRecord, withCatalog: boolean): unknown {
  const world = sim.world;
  const user = world.users.get(t.user_id)!;
  const domainRef = (id: string) => ({ id, name: world.domains.get(id)?.name ?? id });
  const body: Record<string, unknown> = {
    methods: t.methods,
    user: {
      domain: domainRef(user.domain_id),
      id: user.id,
      name: user.name,
      password_expires_at:
        user.password_expires_at === null ? null : world.clock.isoMicros(user.password_expires_at),
    },
    audit_ids: [t.audit_id],
    expires_at: world.clock.isoMicros(t.expires_at),
    issued_at: world.clock.isoMicros(t.issued_at),
  };
  if (t.project_id) {
    const p = world.projects.get(t.project_id);
    body.project = { domain: domainRef(p?.domain_id ?? "default"), id: t.project_id, name: p?.name ?? "" };
    body.is_domain = false;
    body.roles = t.role_ids.map((id) => ({ id, name: world.roles.get(id)?.name ?? "" }));
    if (withCatalog) body.catalog = catalogV3(sim, t.project_id);
  } else if (withCatalog) {
    body.catalog = [];
  }
  if (t.app_credential_id) {
    const ac = world.appCredentials.get(t.app_credential_id);
    body.application_credential = {
      id: t.app_credential_id,
      name: ac?.name ?? "",
      restricted: !ac?.unrestricted,
    };
  }
  return { token: body };
}

import type { World } from "../../core/world.js";

/** Creates a project in the default domain; returns its id. */
export function createProject(world: World, name: string, domainId = "default"): string {
  const id = world.ids.hex();
  world.projects.insert({
    id,
    project_id: id,
    seq: world.ids.seq(),
    name,
    domain_id: domainId,
    description: "",
    enabled: true,
    parent_id: domainId,
    tags: [],
  });
  return id;
}

/** Creates a user with a role on a project; returns the user id. */
export function createUser(
  world: World,
  name: string,
  password: string,
  projectId: string,
  roleName: string,
): string {
  const id = world.ids.hex();
  world.users.insert({
    id,
    project_id: "",
    seq: world.ids.seq(),
    name,
    domain_id: "default",
    password,
    enabled: true,
    default_project_id: projectId,
    email: null,
    password_expires_at: null,
  });
  grantRole(world, id, projectId, roleName);
  return id;
}

/** Gives a user a role (by name) on a project. */
export function grantRole(world: World, userId: string, projectId: string, roleName: string): void {
  const role = world.roles.find((r) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  if (
    world.assignments.some((a) => a.user_id === userId && a.project_id === projectId && a.role_id === role.id)
  )
    return;
  world.assignments.push({ user_id: userId, project_id: projectId, role_id: role.id });
}

/** The identity part of a fresh cloud: domain `default`, projects, roles and the demo/admin users. */
export function seedIdentity(world: World): void {
  world.domains.insert({
    id: "default",
    project_id: "",
    seq: world.ids.seq(),
    name: "Default",
    description: "The default domain",
    enabled: true,
  });
  for (const name of ["admin", "member", "reader"]) {
    world.roles.insert({
      id: world.ids.hex(),
      project_id: "",
      seq: world.ids.seq(),
      name,
      domain_id: null,
      description: null,
    });
  }
  const adminProject = createProject(world, "admin");
  const demoProject = createProject(world, "demo");
  createProject(world, "service");
  const adminUser = createUser(world, "admin", "secret", adminProject, "admin");
  // NOTE: devstack makes admin a member of demo too, which admin-only tests rely on.
  grantRole(world, adminUser, demoProject, "admin");
  createUser(world, "demo", "secret", demoProject, "member");
  grantRole(world, adminUser, adminProject, "member");
}

/** The id of a project by name (throws when absent: seeds are fixed). */
export function projectId(world: World, name: string): string {
  const p = world.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no project ${name}`);
  return p.id;
}

import { parse } from "yaml";
import type { World } from "../core/world.js";
import { insertServer } from "../services/compute/server-record.js";
import { createProject, createUser, projectId } from "../services/identity/seed.js";

/**
 * Extra state to add to a simulator: N projects (each with a member user `<name>`/`secret`) × M servers,
 * and/or a number of servers in existing projects (`{ project: "demo", count: 10000 }`).
 * Seeded servers are ACTIVE at once, on the first flavor and the first public image, without ports.
 */
export interface SeedSpec {
  /** Number of new projects to create (named `<projectPrefix>-0001`, ...). */
  readonly projects?: number;
  readonly projectPrefix?: string;
  /** Servers to create in each new project. */
  readonly serversPerProject?: number;
  /** Servers to add to existing projects, by project name or id. */
  readonly servers?: readonly {
    readonly project: string;
    readonly count: number;
    readonly namePrefix?: string;
  }[];
}

/** What a seed created. */
export interface SeedResult {
  readonly projects: { id: string; name: string; user: string }[];
  readonly servers: number;
}

const MAX_SEED = 200_000;

/** Checks a seed spec (from a file or HTTP); throws a TypeError naming the bad field. */
export function validateSeed(input: unknown): SeedSpec {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new TypeError("seed: expected an object");
  const s = input as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!["projects", "projectPrefix", "serversPerProject", "servers"].includes(k))
      throw new TypeError(`seed: unknown field "${k}"`);
  }
  const count = (v: unknown, name: string) => {
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_SEED)) {
      throw new TypeError(`seed: "${name}" must be an integer in [0, ${MAX_SEED}]`);
    }
  };
  count(s.projects, "projects");
  count(s.serversPerProject, "serversPerProject");
  if (s.projectPrefix !== undefined && typeof s.projectPrefix !== "string")
    throw new TypeError(`seed: "projectPrefix" must be a string`);
  if (s.servers !== undefined) {
    if (!Array.isArray(s.servers)) throw new TypeError(`seed: "servers" must be an array`);
    s.servers.forEach((e, i) => {
      if (typeof e !== "object" || e === null || typeof (e as { project?: unknown }).project !== "string") {
        throw new TypeError(`seed: "servers[${i}].project" must be a string`);
      }
      count((e as { count?: unknown }).count, `servers[${i}].count`);
    });
  }
  return s as SeedSpec;
}

/** Applies a seed spec to a world. */
export function applySeed(world: World, input: SeedSpec): SeedResult {
  const spec = validateSeed(input);
  const flavor = world.flavors.all()[0];
  const image = world.images.find((i) => i.visibility === "public");
  const created: { id: string; name: string; user: string }[] = [];
  let servers = 0;
  const addServers = (project: string, user: string, n: number, prefix: string) => {
    for (let i = 0; i < n; i++) {
      insertServer(world, {
        name: `${prefix}-${String(i + 1).padStart(5, "0")}`,
        project_id: project,
        user_id: user,
        image_id: image?.id ?? "",
        flavor_id: flavor?.id ?? "1",
        security_groups: [],
      });
    }
    servers += n;
  };
  const prefix = spec.projectPrefix ?? "seed";
  const existing = world.projects.filter((p) => p.name.startsWith(`${prefix}-`)).length;
  for (let i = 0; i < (spec.projects ?? 0); i++) {
    const name = `${prefix}-${String(existing + i + 1).padStart(4, "0")}`;
    const pid = createProject(world, name);
    const uid = createUser(world, name, "secret", pid, "member");
    created.push({ id: pid, name, user: name });
    addServers(pid, uid, spec.serversPerProject ?? 0, `${name}-server`);
  }
  for (const entry of spec.servers ?? []) {
    const pid = world.projects.get(entry.project)?.id ?? projectIdOrThrow(world, entry.project);
    const user = world.assignments.find((a) => a.project_id === pid)?.user_id ?? "";
    addServers(pid, user, entry.count, entry.namePrefix ?? "seeded");
  }
  return { projects: created, servers };
}

function projectIdOrThrow(world: World, name: string): string {
  try {
    return projectId(world, name);
  } catch {
    throw new TypeError(`seed: no project "${name}"`);
  }
}

/** Parses a seed file (YAML or JSON) and validates it; throws a TypeError naming the bad field. */
export function parseSeed(text: string): SeedSpec {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new TypeError(`seed: not valid YAML/JSON: ${(e as Error).message}`);
  }
  return validateSeed(value);
}

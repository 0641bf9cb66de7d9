import type { RawSession } from "./raw-client.js";

/** The kinds of resources the leak check lists. */
export type LeakKind =
  | "server"
  | "floating_ip"
  | "port"
  | "volume"
  | "network"
  | "subnet"
  | "router"
  | "security_group"
  | "image"
  | "keypair";

/** One resource as the leak check sees it. */
export interface Listed {
  readonly kind: LeakKind;
  readonly id: string;
  readonly name: string;
  /** neutron ports only */
  readonly deviceOwner?: string;
  readonly networkId?: string;
}

/** The ids of a project's resources at one moment (before the suite creates anything). */
export type Snapshot = ReadonlyMap<LeakKind, ReadonlySet<string>>;

interface Named {
  id: string;
  name?: string | null;
}

/** Lists every resource of the session's project that the leak check looks at. */
export async function listProjectResources(s: RawSession): Promise<Listed[]> {
  const p = encodeURIComponent(s.projectId);
  const net = <T>(path: string, key: string) =>
    s
      .request<Record<string, T[]>>("network", "GET", `/v2.0/${path}?project_id=${p}`)
      .then((b) => b[key] ?? []);
  const named = (kind: LeakKind, items: Named[]): Listed[] =>
    items.map((i) => ({ kind, id: i.id, name: i.name ?? "" }));
  const hasVolume = s.catalog.some((c) => c.type === "block-storage" || c.type === "volumev3");
  const volumeType = s.catalog.some((c) => c.type === "block-storage") ? "block-storage" : "volumev3";
  const [servers, fips, ports, volumes, networks, subnets, routers, groups, images, keypairs] =
    await Promise.all([
      s.request<{ servers: Named[] }>("compute", "GET", "/servers").then((b) => b.servers),
      net<{ id: string; floating_ip_address: string }>("floatingips", "floatingips"),
      net<{ id: string; name: string; device_owner: string; network_id: string }>("ports", "ports"),
      hasVolume
        ? s.request<{ volumes: Named[] }>(volumeType, "GET", "/volumes").then((b) => b.volumes)
        : Promise.resolve([]),
      net<Named>("networks", "networks"),
      net<Named>("subnets", "subnets"),
      net<Named>("routers", "routers"),
      net<Named>("security-groups", "security_groups"),
      s
        .request<{ images: Named[] }>("image", "GET", `/v2/images?owner=${p}&limit=1000`)
        .then((b) => b.images),
      s
        .request<{ keypairs: { keypair: { name: string } }[] }>("compute", "GET", "/os-keypairs")
        .then((b) => b.keypairs.map((k) => ({ id: k.keypair.name, name: k.keypair.name }))),
    ]);
  return [
    ...named("server", servers),
    ...fips.map((f) => ({ kind: "floating_ip" as const, id: f.id, name: f.floating_ip_address })),
    ...ports.map((x) => ({
      kind: "port" as const,
      id: x.id,
      name: x.name,
      deviceOwner: x.device_owner,
      networkId: x.network_id,
    })),
    ...named("volume", volumes),
    ...named("network", networks),
    ...named("subnet", subnets),
    ...named("router", routers),
    ...named("security_group", groups),
    ...named("image", images),
    ...named("keypair", keypairs),
  ];
}

/** Records the ids of everything the project holds now, to compare with at the end. */
export async function snapshotProject(s: RawSession): Promise<Snapshot> {
  const snap = new Map<LeakKind, Set<string>>();
  for (const r of await listProjectResources(s)) {
    const ids = snap.get(r.kind) ?? new Set<string>();
    ids.add(r.id);
    snap.set(r.kind, ids);
  }
  return snap;
}

/**
 * Decides which resources are leaks (pure, so that it is unit-tested).
 *
 * - With a baseline (a shared project): a named resource is a leak when its name starts with
 *   `prefix`; floating IPs and ports have no name we control, so any that is new since the
 *   baseline is a leak, except router-interface and DHCP ports on networks that were there
 *   before (they belong to routers and networks the suite did not make).
 * - Without a baseline (a project the suite created itself): everything is a leak except the
 *   security group `default` that neutron makes in every project.
 */
export function findLeaks(now: readonly Listed[], prefix: string, baseline?: Snapshot): Listed[] {
  if (!baseline) return now.filter((r) => !(r.kind === "security_group" && r.name === "default"));
  const before = (kind: LeakKind, id: string) => baseline.get(kind)?.has(id) ?? false;
  return now.filter((r) => {
    if (r.kind === "floating_ip") return !before(r.kind, r.id);
    if (r.kind === "port") {
      if (before("port", r.id)) return false;
      const infra =
        r.deviceOwner === "network:dhcp" || (r.deviceOwner ?? "").startsWith("network:router_interface");
      return !(infra && r.networkId !== undefined && before("network", r.networkId));
    }
    return r.name.startsWith(prefix);
  });
}

/** Formats leaks one per line for an assertion message. */
export function describeLeaks(leaks: readonly Listed[]): string[] {
  return leaks.map((l) => `${l.kind} ${l.id}${l.name ? ` (${l.name})` : ""}`);
}

/**
 * Lists the session's project and returns the leaks (see findLeaks), formatted one per line,
 * so a test can `expect(await leaksOf(...)).toEqual([])` and see what was left in the failure.
 */
export async function leaksOf(s: RawSession, prefix: string, baseline?: Snapshot): Promise<string[]> {
  return describeLeaks(findLeaks(await listProjectResources(s), prefix, baseline));
}

/** Names of identity projects that start with `prefix` (needs an admin session). */
export async function leakedProjects(admin: RawSession, prefix: string): Promise<string[]> {
  const b = await admin.request<{ projects: { id: string; name: string }[] }>("identity", "GET", "/projects");
  return b.projects.filter((p) => p.name.startsWith(prefix)).map((p) => `project ${p.id} (${p.name})`);
}

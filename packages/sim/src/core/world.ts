import type { Profile } from "../profiles.js";
import { SimClock } from "./clock.js";
import { IdSource } from "./ids.js";
import type {
  AppCredentialRecord,
  AssignmentRecord,
  DomainRecord,
  FlavorRecord,
  FloatingIpRecord,
  ImageRecord,
  KeypairRecord,
  NetworkRecord,
  PortRecord,
  ProjectRecord,
  RoleRecord,
  RouterRecord,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  ServerGroupRecord,
  ServerRecord,
  SubnetRecord,
  TokenRecord,
  UserRecord,
  VolumeRecord,
} from "./records.js";
import { Table } from "./table.js";

/** Default quotas per service and resource (a fresh devstack's). */
export const DEFAULT_QUOTAS = {
  compute: {
    instances: 10,
    cores: 20,
    ram: 51200,
    key_pairs: 100,
    metadata_items: 128,
    server_groups: 10,
    server_group_members: 10,
    injected_files: 5,
    injected_file_content_bytes: 10240,
    injected_file_path_bytes: 255,
    floating_ips: 10,
    fixed_ips: -1,
    security_groups: 10,
    security_group_rules: 20,
  },
  network: {
    network: 100,
    subnet: 100,
    subnetpool: -1,
    port: 500,
    router: 10,
    floatingip: 50,
    security_group: 10,
    security_group_rule: 100,
    rbac_policy: 10,
  },
  volume: {
    volumes: 10,
    snapshots: 10,
    gigabytes: 1000,
    backups: 10,
    backup_gigabytes: 1000,
    per_volume_gigabytes: -1,
    groups: 10,
  },
} as const;

/** A service whose quotas the world keeps. */
export type QuotaService = keyof typeof DEFAULT_QUOTAS;

interface Timer {
  readonly at: number;
  readonly kind: string;
  readonly key: string;
  readonly run: () => void;
}

/**
 * The in-memory state of one simulated cloud: every record, the clock, the id source, quotas and
 * pending state transitions. Service modules keep their own extra state with {@link World.state}.
 */
export class World {
  readonly clock = new SimClock();
  readonly ids = new IdSource();
  readonly profile: Profile;

  // identity
  readonly domains = new Table<DomainRecord>();
  readonly projects = new Table<ProjectRecord>();
  readonly users = new Table<UserRecord>();
  readonly roles = new Table<RoleRecord>();
  assignments: AssignmentRecord[] = [];
  readonly appCredentials = new Table<AppCredentialRecord>();
  readonly tokens = new Map<string, TokenRecord>();

  // compute
  readonly flavors = new Table<FlavorRecord>();
  readonly servers = new Table<ServerRecord>();
  readonly keypairs = new Table<KeypairRecord>();
  readonly serverGroups = new Table<ServerGroupRecord>();

  // network
  readonly networks = new Table<NetworkRecord>();
  readonly subnets = new Table<SubnetRecord>();
  readonly ports = new Table<PortRecord>();
  readonly routers = new Table<RouterRecord>();
  readonly floatingIps = new Table<FloatingIpRecord>();
  readonly securityGroups = new Table<SecurityGroupRecord>();
  readonly securityGroupRules = new Table<SecurityGroupRuleRecord>();

  // image, volume (filled by their service modules)
  readonly images = new Table<ImageRecord>();
  readonly volumes = new Table<VolumeRecord>();

  /** Ports by `device_id`, so a server's addresses never scan all ports. */
  readonly portsByDevice = new Map<string, Set<string>>();

  /** Quota overrides: service -> project -> resource -> limit. */
  readonly quotaOverrides = new Map<string, Map<string, Record<string, number>>>();

  /** Default BUILD duration of new servers in ms. */
  buildDelayMs: number;
  /** How long a deleted server stays visible with task_state `deleting`, in ms. */
  deleteDelayMs: number;
  /** Token lifetime in seconds. */
  tokenLifetimeSeconds: number;
  /**
   * Whether nova lists floating IPs in a server's `addresses`. Real nova learns of them from
   * neutron's notifications; a cloud without an L3 agent (like the CI's OpenStack) never does.
   */
  floatingIpsInAddresses = true;

  readonly #timers: Timer[] = [];
  readonly #state = new Map<string, unknown>();

  constructor(
    profile: Profile,
    opts: { buildDelayMs: number; deleteDelayMs: number; tokenLifetimeSeconds: number },
  ) {
    this.profile = profile;
    this.buildDelayMs = opts.buildDelayMs;
    this.deleteDelayMs = opts.deleteDelayMs;
    this.tokenLifetimeSeconds = opts.tokenLifetimeSeconds;
  }

  /**
   * Module-private state, created on first use. Service modules keep their own tables here
   * (e.g. `world.state("object-store", () => new Map())`) instead of adding fields to the World.
   */
  state<T>(key: string, init: () => T): T {
    let v = this.#state.get(key) as T | undefined;
    if (v === undefined) {
      v = init();
      this.#state.set(key, v);
    }
    return v;
  }

  /**
   * Runs `run` when the clock reaches `at` (checked lazily by {@link settle}, at the start of every
   * request). `kind` groups timers for {@link finish} (e.g. `build`, `delete`, `volume`); `key`
   * identifies the object so that a pending timer can be replaced or cancelled.
   */
  schedule(at: number, kind: string, key: string, run: () => void): void {
    this.cancel(key);
    let lo = 0;
    let hi = this.#timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#timers[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#timers.splice(lo, 0, { at, kind, key, run });
  }

  /** Cancels the pending timer with this key, if any. */
  cancel(key: string): void {
    const i = this.#timers.findIndex((t) => t.key === key);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Number of pending timers (of one kind, or all). */
  pending(kind?: string): number {
    return kind === undefined ? this.#timers.length : this.#timers.filter((t) => t.kind === kind).length;
  }

  /** Runs every timer that is due. O(1) when nothing is due. */
  settle(): void {
    const now = this.clock.now();
    while (this.#timers.length > 0 && this.#timers[0]!.at <= now) {
      this.#timers.shift()!.run();
    }
  }

  /** Runs every pending timer of a kind (or all) now, whatever its due time. */
  finish(kind?: string): number {
    const due = kind === undefined ? [...this.#timers] : this.#timers.filter((t) => t.kind === kind);
    for (const t of due) {
      const i = this.#timers.indexOf(t);
      if (i >= 0) this.#timers.splice(i, 1);
      t.run();
    }
    return due.length;
  }

  /** The quota limit of a resource for a project (-1: unlimited). */
  quota(service: QuotaService, projectId: string, resource: string): number {
    const override = this.quotaOverrides.get(service)?.get(projectId)?.[resource];
    if (override !== undefined) return override;
    return (DEFAULT_QUOTAS[service] as Record<string, number>)[resource] ?? -1;
  }

  /** All quota limits of a service for a project. */
  quotas(service: QuotaService, projectId: string): Record<string, number> {
    return { ...DEFAULT_QUOTAS[service], ...this.quotaOverrides.get(service)?.get(projectId) };
  }

  /** Sets quota limits of a service for a project. */
  setQuotas(service: QuotaService, projectId: string, limits: Record<string, number>): void {
    let byProject = this.quotaOverrides.get(service);
    if (!byProject) {
      byProject = new Map();
      this.quotaOverrides.set(service, byProject);
    }
    byProject.set(projectId, { ...byProject.get(projectId), ...limits });
  }

  /** Role names of a user on a project. */
  roleNames(userId: string, projectId: string): string[] {
    return this.assignments
      .filter((a) => a.user_id === userId && a.project_id === projectId)
      .map((a) => this.roles.get(a.role_id)?.name ?? "")
      .filter((n) => n !== "");
  }

  /** Records a port's device so that {@link portsOfDevice} stays O(ports of that device). */
  indexPortDevice(port: PortRecord, previousDeviceId?: string): void {
    if (previousDeviceId) this.portsByDevice.get(previousDeviceId)?.delete(port.id);
    if (port.device_id) {
      let set = this.portsByDevice.get(port.device_id);
      if (!set) {
        set = new Set();
        this.portsByDevice.set(port.device_id, set);
      }
      set.add(port.id);
    }
  }

  /** The ports attached to a device (server, router, dhcp), in creation order. */
  portsOfDevice(deviceId: string): PortRecord[] {
    const set = this.portsByDevice.get(deviceId);
    if (!set) return [];
    const out: PortRecord[] = [];
    for (const id of set) {
      const p = this.ports.get(id);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Removes a port and its device index entry. */
  removePort(id: string): PortRecord | undefined {
    const p = this.ports.remove(id);
    if (p?.device_id) this.portsByDevice.get(p.device_id)?.delete(p.id);
    return p;
  }
}

import type { FaultRule } from "../core/faults.js";
import type { LogEntry } from "../core/request-log.js";
import type { SimState } from "../core/service.js";
import type { QuotaService } from "../core/world.js";
import { applySeed, type SeedResult, type SeedSpec } from "./seed.js";

/** Closes the simulator's listener for a while (see {@link SimAdmin.outage}). */
export interface ListenerControl {
  pause(ms: number): Promise<void>;
}

/**
 * The simulator's control surface, in-process (`sim.admin`) and over HTTP under `/_sim/` (same names).
 */
export class SimAdmin {
  readonly #sim: SimState;
  readonly #listener: ListenerControl | undefined;

  /** `listener` lets {@link outage} close and reopen the simulator's port. */
  constructor(sim: SimState, listener?: ListenerControl) {
    this.#sim = sim;
    this.#listener = listener;
  }

  /** The shared state (world, log, faults) for white-box tests. */
  get state(): SimState {
    return this.#sim;
  }

  /** Retained requests, oldest first. */
  log(): LogEntry[] {
    return this.#sim.log.entries();
  }

  /** Counters keyed `"compute GET /servers/detail"`. */
  counters(): Record<string, number> {
    return this.#sim.log.counters();
  }

  /** Requests of one service to one route, e.g. `count("compute", "GET /servers/detail")`. */
  count(service: string, route: string): number {
    return this.#sim.log.count(service, route);
  }

  /** Clears the request log and the counters (not the world). */
  reset(): void {
    this.#sim.log.reset();
  }

  /** Adds a fault rule (see `FaultRule`); returns its id. Throws a TypeError naming a bad field. */
  addFault(rule: FaultRule): number {
    return this.#sim.faults.add(rule);
  }

  /** Removes one fault rule. */
  removeFault(id: number): boolean {
    return this.#sim.faults.remove(id);
  }

  /** The installed fault rules with their hit counts. */
  faults(): { id: number; hits: number; rule: FaultRule }[] {
    return this.#sim.faults.list();
  }

  /** Removes every fault rule. */
  clearFaults(): void {
    this.#sim.faults.clear();
  }

  /** How many faults of each kind were injected (`{dropResponse: 3, status: 12, ...}`). */
  faultsInjected(): Record<string, number> {
    return this.#sim.faults.injected();
  }

  /** Zeroes the injected-fault counts. */
  resetFaultsInjected(): void {
    this.#sim.faults.resetInjected();
  }

  /**
   * Closes the listener for `ms` milliseconds (every open connection too), then listens again on the
   * same port: clients get "connection refused", as when the cloud's API is down. Resolves once closed.
   */
  async outage(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0 || ms > 600_000)
      throw new TypeError(`outage: ms must be a number in (0, 600000], got ${ms}`);
    if (!this.#listener) throw new TypeError("outage: this simulator has no listener to close");
    await this.#listener.pause(ms);
  }

  /** Ends every pending BUILD (and other pending transitions such as deletes) now; returns how many ran. */
  finishBuilds(): number {
    this.#sim.world.settle();
    return this.#sim.world.finish();
  }

  /** Revokes every issued token (clients must re-authenticate: their next call gets a 401). */
  revokeTokens(): number {
    let n = 0;
    for (const t of this.#sim.world.tokens.values()) {
      if (!t.revoked) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }

  /**
   * Makes every issued token expire `inMs` milliseconds from now on the simulator clock (0: now);
   * returns how many tokens were changed. Clients must re-authenticate once it passes.
   */
  expireTokens(inMs = 0): number {
    if (!Number.isFinite(inMs) || inMs < 0)
      throw new TypeError(`expireTokens: inMs must be a non-negative number, got ${inMs}`);
    const world = this.#sim.world;
    const at = world.clock.now() + inMs;
    let n = 0;
    for (const t of [...world.tokens.values()]) {
      if (t.revoked || t.expires_at <= at) continue;
      world.tokens.set(t.id, { ...t, expires_at: at });
      n++;
    }
    return n;
  }

  /** Sets the BUILD duration of servers created from now on (ms). */
  setBuildDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new TypeError(`setBuildDelay: ms must be a non-negative number, got ${ms}`);
    this.#sim.world.buildDelayMs = ms;
  }

  /** Sets how long deleted servers keep showing `deleting` (ms). */
  setDeleteDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new TypeError(`setDeleteDelay: ms must be a non-negative number, got ${ms}`);
    this.#sim.world.deleteDelayMs = ms;
  }

  /** Moves the simulator's clock forward (tokens expire, builds finish when due). */
  advanceClock(ms: number): void {
    this.#sim.world.clock.advance(ms);
    this.#sim.world.settle();
  }

  /** Sets the token lifetime of tokens issued from now on (seconds). */
  setTokenLifetime(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new TypeError(`setTokenLifetime: seconds must be positive, got ${seconds}`);
    this.#sim.world.tokenLifetimeSeconds = seconds;
  }

  /** Sets quota limits of a project (by id or name) for `compute`, `network` or `volume`. */
  setQuota(service: QuotaService, project: string, limits: Record<string, number>): void {
    if (!["compute", "network", "volume"].includes(service)) {
      throw new TypeError(`setQuota: service must be compute, network or volume, got ${service}`);
    }
    for (const [k, v] of Object.entries(limits)) {
      if (!Number.isInteger(v) || v < -1)
        throw new TypeError(`setQuota: limit "${k}" must be an integer >= -1`);
    }
    this.#sim.world.setQuotas(service, this.#projectId(project), limits);
  }

  /**
   * Marks an image or a flavor (by id or name) so that servers built from it go to ERROR
   * (`failing: false` clears the mark).
   */
  markFailing(target: { image?: string; flavor?: string }, failing = true): void {
    const world = this.#sim.world;
    if (target.image !== undefined) {
      const img = world.images.get(target.image) ?? world.images.find((i) => i.name === target.image);
      if (!img) throw new TypeError(`markFailing: no image "${target.image}"`);
      img.fail_builds = failing;
    }
    if (target.flavor !== undefined) {
      const f = world.flavors.get(target.flavor) ?? world.flavors.find((x) => x.name === target.flavor);
      if (!f) throw new TypeError(`markFailing: no flavor "${target.flavor}"`);
      f.fail_builds = failing;
    }
    if (target.image === undefined && target.flavor === undefined) {
      throw new TypeError("markFailing: give image or flavor");
    }
  }

  /** Adds projects, users and servers (see `SeedSpec`). */
  seed(spec: SeedSpec): SeedResult {
    return applySeed(this.#sim.world, spec);
  }

  /** Project id from an id or a name; TypeError when unknown. */
  #projectId(ref: string): string {
    const world = this.#sim.world;
    const p = world.projects.get(ref) ?? world.projects.find((x) => x.name === ref);
    if (!p) throw new TypeError(`no project "${ref}"`);
    return p.id;
  }
}

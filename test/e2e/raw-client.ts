import { readFileSync } from "node:fs";
import { parse } from "yaml";

// The end-to-end suite's own minimal OpenStack client: plain fetch, keystone v3 password auth and
// the catalog. It exists so that the suite's setup, cleanup and leak check do not depend on the
// code under test (packages/core): a bug there must not hide its own leaks.

/** One `clouds:` entry of a clouds.yaml, as far as the suite needs it. */
export interface RawCloudEntry {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainId: string;
  readonly projectDomainId: string;
  readonly regionName: string | undefined;
  readonly interface: string;
}

/** Reads one cloud's password settings from a clouds.yaml file. */
export function readCloudEntry(configFile: string, cloud: string): RawCloudEntry {
  const doc = parse(readFileSync(configFile, "utf8")) as { clouds?: Record<string, unknown> } | null;
  const entry = doc?.clouds?.[cloud] as
    | { auth?: Record<string, string>; region_name?: string; interface?: string }
    | undefined;
  if (!entry?.auth) throw new Error(`${configFile}: no cloud "${cloud}" with an auth section`);
  const a = entry.auth;
  const need = (key: string): string => {
    const v = a[key];
    if (typeof v !== "string" || v === "")
      throw new Error(`${configFile}: clouds.${cloud}.auth.${key} is missing`);
    return v;
  };
  return {
    authUrl: need("auth_url").replace(/\/+$/, ""),
    username: need("username"),
    password: need("password"),
    projectName: need("project_name"),
    userDomainId: a.user_domain_id ?? "default",
    projectDomainId: a.project_domain_id ?? "default",
    regionName: entry.region_name,
    interface: entry.interface ?? "public",
  };
}

/** A catalog entry of a keystone v3 token. */
export interface RawCatalogEntry {
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly { interface: string; region_id?: string; region?: string; url: string }[];
}

/** An HTTP error from the raw client, with what a failing test needs to explain itself. */
export class RawHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly body: string,
  ) {
    super(`${method} ${url} -> ${status}: ${body.slice(0, 400)}`);
    this.name = "RawHttpError";
  }
}

/** A keystone-authenticated session: token, project and catalog, plus a JSON request helper. */
export class RawSession {
  constructor(
    readonly entry: RawCloudEntry,
    readonly token: string,
    readonly projectId: string,
    readonly userId: string,
    readonly catalog: readonly RawCatalogEntry[],
  ) {}

  /** The endpoint URL of a service type for the cloud's interface and region (no trailing slash). */
  endpoint(type: string): string {
    const svc = this.catalog.find((c) => c.type === type);
    const ep = svc?.endpoints.find(
      (e) =>
        e.interface === this.entry.interface &&
        (this.entry.regionName === undefined || (e.region_id ?? e.region) === this.entry.regionName),
    );
    if (!ep) throw new Error(`catalog has no ${this.entry.interface} endpoint for service type ${type}`);
    // Keystone fills in `%(project_id)s` for scoped tokens; be safe for catalogs that don't.
    return ep.url.replace(/[%$]\((?:project|tenant)_id\)s/g, this.projectId).replace(/\/+$/, "");
  }

  /**
   * Sends one request to a service (`type` from the catalog, or "identity") and returns the parsed
   * JSON (undefined for an empty body). Statuses other than `ok` throw a RawHttpError.
   */
  async request<T>(
    type: string,
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; ok?: readonly number[] } = {},
  ): Promise<T> {
    const base = type === "identity" ? this.entry.authUrl : this.endpoint(type);
    const url = base + path;
    const headers: Record<string, string> = { "X-Auth-Token": this.token, Accept: "application/json" };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(url, {
      method,
      headers: { ...headers, ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const ok = opts.ok ?? [200, 201, 202, 204];
    if (!ok.includes(res.status)) throw new RawHttpError(res.status, method, url, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}

/** The body of a keystone v3 password authentication request scoped to the entry's project. */
export function passwordAuthBody(entry: RawCloudEntry): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: entry.username, password: entry.password, domain: { id: entry.userDomainId } },
        },
      },
      scope: { project: { name: entry.projectName, domain: { id: entry.projectDomainId } } },
    },
  };
}

/** Authenticates with keystone v3 (password, project scope) through Node's fetch. */
export async function rawLogin(entry: RawCloudEntry): Promise<RawSession> {
  const url = `${entry.authUrl}/auth/tokens`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(passwordAuthBody(entry)),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== 201) throw new RawHttpError(res.status, "POST", url, text);
  const token = res.headers.get("x-subject-token");
  if (!token) throw new Error(`POST ${url}: 201 without an X-Subject-Token header`);
  const body = JSON.parse(text) as {
    token: { project?: { id: string }; user: { id: string }; catalog?: RawCatalogEntry[] };
  };
  if (!body.token.project) throw new Error(`POST ${url}: token is not project-scoped`);
  return new RawSession(entry, token, body.token.project.id, body.token.user.id, body.token.catalog ?? []);
}

/** Sleeps for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws
 * after `timeoutMs` naming `what`. Bounded: the suite never loops forever.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 1_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

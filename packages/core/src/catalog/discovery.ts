/**
 * Version discovery: from a catalog URL to the versioned endpoint oaktree talks to, the API
 * version chosen and the server's microversion range, as keystoneauth does it:
 *
 * 1. Strip the project id and the version from the catalog URL to find the service's root
 *    (`https://cloud/volume/v3/<project>` -> `https://cloud/volume`), GET its version document
 *    (without a token: roots are public) and pick the best major version oaktree supports.
 * 2. When the root has no usable document (404, 401, HTML, a proxy's error page), GET the
 *    versioned URL without the project id (with a token: nova and cinder guard it).
 * 3. When that fails too, use the catalog URL as it is, with the version its path names; an
 *    unversioned neutron or glance URL gets the version's path segment (their APIs live under
 *    `/v2.0` and `/v2` whatever the catalog says, as shade assumed for neutron). A fallback
 *    after a failure that may pass (a 5xx, a timeout, a broken connection) is marked
 *    `passing` so that its user discovers again later instead of keeping a guess.
 *    Every fallback is logged at debug level with the reason.
 */
import type { Handler, HttpRequest, HttpResponse } from "../http/types.js";
import { type ApiVersion, parseVersionDocument, parseVersionId } from "./version-document.js";

/** The minimal logger oaktree's layers write to (a pino logger fits). */
export interface DebugLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

/**
 * Major API versions oaktree's bindings support, best first, per official service type.
 * Services absent here are discovered generically (their CURRENT version, else the newest).
 */
export const SUPPORTED_MAJOR_VERSIONS: Readonly<Record<string, readonly number[]>> = {
  compute: [2],
  image: [2, 1],
  network: [2],
  "block-storage": [3, 2],
  identity: [3, 2],
  "object-store": [1],
  placement: [1],
};

/** How a service's endpoint and version were found. */
export type DiscoverySource =
  /** From the version document of the service's unversioned root. */
  | "root-document"
  /** From the version document of the versioned endpoint (the root had none). */
  | "versioned-document"
  /** No usable document: the catalog URL as it is, the version read from its path. */
  | "catalog";

/** The outcome of discovering one service. */
export interface DiscoveredVersion {
  readonly serviceType: string;
  /** The versioned base URL for requests (project id substituted where the catalog had one). */
  readonly endpoint: string;
  /** The API version in use (`2.1` for nova, `2` for glance, `3` for cinder, `2.0` for neutron). */
  readonly version: string;
  /** The server's microversion range for that version, when it has microversions. */
  readonly microversions?: { readonly min: string; readonly max: string };
  readonly source: DiscoverySource;
  /** Why discovery fell back (source "catalog" or "versioned-document"). */
  readonly note?: string;
  /** Every version the document offered (empty when none was read). */
  readonly offered: readonly ApiVersion[];
  /**
   * A fallback (source "catalog") made because a document fetch failed for a reason that may
   * pass: worth discovering again after a while rather than keeping for the connection's life.
   */
  readonly passing?: true;
}

/**
 * Services whose API lives under a version segment that unversioned catalog URLs leave out,
 * for the fallback: neutron is always `/v2.0`, glance `/v<major>`.
 */
const VERSION_SEGMENT_OF: Readonly<Record<string, (major: number) => string>> = {
  network: () => "v2.0",
  image: (major) => `v${major}`,
};

/** What to discover. */
export interface DiscoveryTarget {
  /** Official service type. */
  readonly serviceType: string;
  /** The catalog (or override) URL with the project id already substituted. */
  readonly url: string;
  /** The token's project id, to recognize it at the end of the URL. */
  readonly projectId?: string;
  /** `<service>_api_version` from the config (`"2"`, `"3"`, `"2.1"`): that major is preferred. */
  readonly apiVersion?: string;
}

/** Shared state of discovery: documents per URL, so services sharing a root fetch it once. */
export interface DiscoveryContext {
  /** Sends a request through the http stack (or a fake in tests). */
  readonly send: Handler;
  readonly logger?: DebugLogger;
  /** Fetched documents by URL; create one per connection with {@link createDocumentCache}. */
  readonly documents: DocumentCache;
}

/** A document fetch's outcome: the versions, or why there are none. */
export type DocumentResult =
  | { readonly ok: true; readonly versions: readonly ApiVersion[] }
  | {
      readonly ok: false;
      readonly reason: string;
      /** A 5xx, a timeout, a broken connection: another fetch may get the document. */
      readonly transient?: boolean;
    };

/** Version documents by URL. Only definitive answers stay cached; network failures are retried. */
export type DocumentCache = Map<string, Promise<DocumentResult>>;

/** A fresh, empty document cache. */
export function createDocumentCache(): DocumentCache {
  return new Map();
}

/**
 * Discovers a service's endpoint and version. Never throws for a cloud's missing or broken
 * documents (it falls back, see the module comment); throws only when `signal` aborts.
 */
export async function discoverVersion(
  ctx: DiscoveryContext,
  target: DiscoveryTarget,
  signal?: AbortSignal,
): Promise<DiscoveredVersion> {
  const parts = splitServiceUrl(target.url, target.projectId);
  const preferred = preferredMajors(target.serviceType, target.apiVersion);
  const reasons: string[] = [];

  const attempts: { url: string; authenticated: boolean; source: DiscoverySource }[] = [];
  if (target.serviceType === "object-store") {
    // NOTE: swift has no version document (its GET / is a healthcheck or a 404): don't ask.
    reasons.push("object-store has no version document");
  } else {
    attempts.push({ url: parts.root, authenticated: false, source: "root-document" });
    if (parts.versioned !== undefined) {
      attempts.push({ url: parts.versioned, authenticated: true, source: "versioned-document" });
    }
  }
  let passing = false;
  for (const attempt of attempts) {
    const result = await fetchDocument(ctx, attempt.url, attempt.authenticated, target.serviceType, signal);
    if (!result.ok) {
      reasons.push(`${attempt.url}: ${result.reason}`);
      passing ||= result.transient === true;
      continue;
    }
    const chosen =
      preferred.length === 0 && parts.versionSegment !== undefined
        ? // A service oaktree has no table for: the version its catalog URL names, if offered.
          (result.versions.find(
            (v) =>
              v.href !== undefined &&
              lastVersionSegment(v.href, attempt.url)?.toLowerCase() === parts.versionSegment?.toLowerCase(),
          ) ?? chooseVersion(result.versions, preferred))
        : chooseVersion(result.versions, preferred);
    if (!chosen) {
      const offered = result.versions.map((v) => v.id).join(", ") || "none";
      reasons.push(`${attempt.url}: no supported version (offered: ${offered})`);
      continue;
    }
    const endpoint = endpointFor(parts, attempt.url, chosen);
    const note = reasons.length > 0 ? reasons.join("; ") : undefined;
    if (note)
      ctx.logger?.debug({ serviceType: target.serviceType, url: target.url, note }, "discovery fell back");
    return {
      serviceType: target.serviceType,
      endpoint,
      version: versionLabel(target.serviceType, chosen.major, chosen.minor),
      ...(chosen.microversions && { microversions: chosen.microversions }),
      source: attempt.source,
      ...(note !== undefined && { note }),
      offered: result.versions,
    };
  }

  const fromUrl = parts.version;
  const major = fromUrl?.[0] ?? preferred[0];
  const version =
    major === undefined
      ? ""
      : versionLabel(target.serviceType, major, fromUrl?.[1] ?? defaultMinor(target.serviceType));
  const segment =
    fromUrl === undefined && major !== undefined && parts.projectSegment === undefined
      ? VERSION_SEGMENT_OF[target.serviceType]?.(major)
      : undefined;
  const endpoint = segment === undefined ? parts.url : `${parts.url}/${segment}`;
  const note = `using the catalog URL${segment === undefined ? " as it is" : ` with /${segment}`} (${reasons.join("; ") || "no document"})`;
  ctx.logger?.debug({ serviceType: target.serviceType, url: target.url, note }, "discovery fell back");
  return {
    serviceType: target.serviceType,
    endpoint,
    version,
    source: "catalog",
    note,
    offered: [],
    ...(passing && { passing: true }),
  };
}

/** A catalog URL taken apart as keystoneauth does. */
export interface ServiceUrlParts {
  /** The URL without project id and version: where the root document lives. */
  readonly root: string;
  /** The URL without the project id, when it names a version (`https://cloud:8776/v3`). */
  readonly versioned?: string;
  /** The version the URL names (`/v2.1/` -> [2, 1]). */
  readonly version?: readonly [number, number];
  /** That version's path segment as written (`v2.1`). */
  readonly versionSegment?: string;
  /** The project id segment removed from the end (re-appended to the discovered endpoint). */
  readonly projectSegment?: string;
  /** The catalog URL itself, without a trailing slash. */
  readonly url: string;
}

/**
 * Splits a catalog URL: a trailing segment that is the project id (or follows a version
 * segment, like swift's `AUTH_<project>`) is the project part; a trailing version segment
 * (`v2.1`, `v3`, `v2.0`) is the version; what remains is the root.
 */
export function splitServiceUrl(url: string, projectId?: string): ServiceUrlParts {
  const parsed = new URL(url);
  const base = `${parsed.origin}`;
  const segments = parsed.pathname.split("/").filter((s) => s !== "");
  let projectSegment: string | undefined;
  const last = segments.at(-1);
  const beforeLast = segments.at(-2);
  if (
    last !== undefined &&
    ((projectId && last === projectId) || (beforeLast && parseVersionId(beforeLast)))
  ) {
    projectSegment = segments.pop();
  }
  const versionSegment = segments.at(-1);
  const version = versionSegment === undefined ? undefined : parseVersionId(versionSegment);
  const join = (parts: readonly string[]) => (parts.length ? `${base}/${parts.join("/")}` : base);
  const trimmed = url.replace(/\/+$/, "");
  if (!version) return { root: join(segments), url: trimmed, ...(projectSegment && { projectSegment }) };
  const versioned = join(segments);
  return {
    root: join(segments.slice(0, -1)),
    versioned,
    version,
    versionSegment: versionSegment as string,
    url: trimmed,
    ...(projectSegment && { projectSegment }),
  };
}

function endpointFor(parts: ServiceUrlParts, fetchedFrom: string, chosen: ApiVersion): string {
  const versionSegment = chosen.href === undefined ? undefined : lastVersionSegment(chosen.href, fetchedFrom);
  // The catalog URL already names the chosen version: trust it over the document's links,
  // which are often wrong behind proxies (http for https, internal host names). Segments are
  // compared when the document has one: nova's `/v2/` (legacy) is not its `/v2.1/`.
  if (parts.versionSegment !== undefined && parts.version) {
    const same =
      versionSegment !== undefined
        ? versionSegment.toLowerCase() === parts.versionSegment.toLowerCase()
        : parts.version[0] === chosen.major;
    if (same) return parts.url;
  }
  const base = versionSegment === undefined ? parts.root : `${parts.root}/${versionSegment}`;
  return parts.projectSegment ? `${base}/${parts.projectSegment}` : base;
}

/** The version segment (`v2`) the link ends with, or undefined for links that name none (placement). */
function lastVersionSegment(href: string, relativeTo: string): string | undefined {
  let path: string;
  try {
    path = new URL(href, `${relativeTo}/`).pathname;
  } catch {
    return undefined;
  }
  const last = path
    .split("/")
    .filter((s) => s !== "")
    .at(-1);
  return last !== undefined && parseVersionId(last) ? last : undefined;
}

/** The majors to look for, best first: the configured one, then oaktree's supported ones. */
export function preferredMajors(serviceType: string, apiVersion?: string): readonly number[] {
  const supported = SUPPORTED_MAJOR_VERSIONS[serviceType] ?? [];
  const configured = apiVersion === undefined ? undefined : parseVersionId(apiVersion)?.[0];
  if (configured === undefined) return supported;
  return [configured, ...supported.filter((m) => m !== configured)];
}

const STATUS_RANK: Readonly<Record<string, number>> = {
  current: 3,
  stable: 3,
  supported: 2,
  deprecated: 1,
  experimental: 0,
};

/**
 * Picks the version to use: the first preferred major the document offers, and within it the
 * best status (CURRENT/stable over SUPPORTED over DEPRECATED) then the highest minor (nova's
 * v2.1 over legacy v2.0, glance's v2.18 over v2.0). For services oaktree has no table for
 * (`preferred` empty), the best status then the highest version overall.
 */
export function chooseVersion(
  versions: readonly ApiVersion[],
  preferred: readonly number[],
): ApiVersion | undefined {
  const better = (a: ApiVersion, b: ApiVersion) =>
    (STATUS_RANK[a.status] ?? 1) - (STATUS_RANK[b.status] ?? 1) || a.major - b.major || a.minor - b.minor;
  const best = (candidates: readonly ApiVersion[]) =>
    candidates.reduce<ApiVersion | undefined>(
      (acc, v) => (acc === undefined || better(v, acc) > 0 ? v : acc),
      undefined,
    );
  if (preferred.length === 0) return best(versions);
  for (const major of preferred) {
    const found = best(versions.filter((v) => v.major === major));
    if (found) return found;
  }
  return undefined;
}

/** How oaktree names a service's API version (`2.1` for compute, `2.0` for network and identity v2). */
export function versionLabel(serviceType: string, major: number, minor: number): string {
  switch (serviceType) {
    case "compute":
      return `${major}.${minor}`;
    case "network":
      return `${major}.0`;
    case "identity":
      return major === 2 ? "2.0" : `${major}`;
    default:
      return SUPPORTED_MAJOR_VERSIONS[serviceType]
        ? `${major}`
        : minor === 0
          ? `${major}`
          : `${major}.${minor}`;
  }
}

function defaultMinor(serviceType: string): number {
  return serviceType === "compute" ? 1 : 0;
}

async function fetchDocument(
  ctx: DiscoveryContext,
  url: string,
  authenticated: boolean,
  serviceType: string,
  signal?: AbortSignal,
): Promise<DocumentResult> {
  const key = `${authenticated ? "auth" : "anon"} ${url}`;
  const cached = ctx.documents.get(key);
  if (cached) return cached;
  const pending = requestDocument(ctx.send, url, authenticated, serviceType, signal);
  ctx.documents.set(key, pending);
  const result = await pending.catch((error: unknown) => {
    ctx.documents.delete(key);
    throw error;
  });
  if (!result.ok && result.transient) ctx.documents.delete(key);
  return result;
}

async function requestDocument(
  send: Handler,
  url: string,
  authenticated: boolean,
  serviceType: string,
  signal?: AbortSignal,
): Promise<DocumentResult & { transient?: boolean }> {
  // keystoneauth asks for `<root>/`; some servers only route the form without the slash. A
  // 404 on one form is worth one try of the other.
  const bare = url.replace(/\/+$/, "");
  const forms = [`${bare}/`, bare];
  let result: DocumentResult & { transient?: boolean; notFound?: boolean } = { ok: false, reason: "" };
  for (const form of forms) {
    result = await requestOne(send, form, authenticated, serviceType, signal);
    if (!result.notFound) break;
  }
  return result;
}

async function requestOne(
  send: Handler,
  url: string,
  authenticated: boolean,
  serviceType: string,
  signal?: AbortSignal,
): Promise<DocumentResult & { transient?: boolean; notFound?: boolean }> {
  const request: HttpRequest = {
    method: "GET",
    url,
    headers: new Headers({ Accept: "application/json" }),
    serviceType,
    // NOTE: keystone answers its root with 300 Multiple Choices; that is the document.
    okStatus: [200, 300],
    skipAuth: !authenticated,
    ...(signal && { signal }),
  };
  let response: HttpResponse;
  try {
    response = await send(request);
  } catch (error) {
    if (signal?.aborted) throw error;
    const status = (error as { status?: unknown }).status;
    const transient = typeof status !== "number" || status >= 500;
    return { ok: false, reason: describeError(error), transient, notFound: status === 404 };
  }
  if (response.status !== 200 && response.status !== 300) {
    return {
      ok: false,
      reason: `HTTP ${response.status}`,
      transient: response.status >= 500,
      notFound: response.status === 404,
    };
  }
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return { ok: false, reason: "the response is not JSON" };
  }
  const versions = parseVersionDocument(body);
  if (!versions) return { ok: false, reason: "the response is not a version document" };
  return { ok: true, versions };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    return typeof status === "number" ? `HTTP ${status}` : error.message;
  }
  return String(error);
}

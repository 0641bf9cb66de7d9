import { OaktreeError } from "../errors.js";
import type { ServiceClient } from "../http/types.js";
import type {
  Capabilities,
  FloatingIpModel,
  GetMeANetworkMethod,
  ImageCapabilities,
  ImageUploadMethod,
  ServiceCapability,
} from "../models/capabilities.js";
import { type ComputeLimits, normalizeLimits } from "../models/limits.js";
import { locationOf } from "../models/location.js";
import { listNovaFloatingIpPools } from "../services/compute/v2/floating-ip-pools/requests.js";
import { NOVA_NETWORK_PROXY_MAX } from "../services/compute/v2/floating-ips/proxy.js";
import { getLimits } from "../services/compute/v2/limits/requests.js";
import { acceptedFormats, getImageSchema, getImportMethods } from "../services/image/v2/images/data.js";
import { compareMicroversions } from "../services/microversion.js";
import { listExtensions } from "../services/network/v2/extensions/requests.js";

import { type CloudContext, listExternalNetworks } from "./context.js";

/** Options of the capability probes. */
export interface CapabilityOptions {
  /** Aborts this caller's wait; the shared probe goes on for others. */
  readonly signal?: AbortSignal;
}

/**
 * Glance v1 has no schema API: the formats every glance v1 release accepted
 * (glance's `disk_formats`/`container_formats` defaults).
 */
export const GLANCE_V1_DISK_FORMATS: readonly string[] = [
  "ami",
  "ari",
  "aki",
  "vhd",
  "vhdx",
  "vmdk",
  "raw",
  "qcow2",
  "vdi",
  "iso",
  "ploop",
];
/** See {@link GLANCE_V1_DISK_FORMATS}. */
export const GLANCE_V1_CONTAINER_FORMATS: readonly string[] = [
  "ami",
  "ari",
  "aki",
  "bare",
  "ovf",
  "ova",
  "docker",
];

/** The compute microversion from which nova accepts `networks: "auto"` (and "none"). */
export const NOVA_AUTO_NETWORK_SINCE = "2.37";

/** What neutron offers this project: probed once per context. */
export interface NeutronFacts {
  readonly present: boolean;
  readonly extensions: ReadonlySet<string>;
  /** Ids of `router:external` networks. */
  readonly externalNetworkIds: readonly string[];
}

/**
 * Everything oaktree knows about what this cloud/region/project offers, probed once per
 * context and shared by every caller (concurrent first calls share one probe).
 */
export function getCapabilities(ctx: CloudContext, options: CapabilityOptions = {}): Promise<Capabilities> {
  return abortable(
    ctx.memo("capabilities", async () => {
      const [floating, securityGroups, images, gman, neutron, services, normalize] = await Promise.all([
        floatingIpCapability(ctx),
        securityGroupCapability(ctx),
        imageCapabilities(ctx),
        getMeANetworkCapability(ctx),
        neutronFacts(ctx),
        serviceCapabilities(ctx),
        ctx.normalizeContext(),
      ]);
      // Limits are informative: a cloud that refuses them (policy) still has capabilities.
      const limits = await getComputeLimits(ctx).catch((error: unknown) => {
        if (error instanceof OaktreeError) return undefined;
        throw error;
      });
      const capabilities: Capabilities = {
        location: locationOf(normalize),
        floatingIps: floating,
        securityGroups,
        images,
        getMeANetwork: gman,
        networkExtensions: [...neutron.extensions].sort(),
        services,
        ...(limits && { computeLimits: limits }),
      };
      return capabilities;
    }),
    options.signal,
  );
}

/** The project's compute limits and usage, fresh (not memoized: usage changes). */
export async function getComputeLimits(
  ctx: CloudContext,
  options: CapabilityOptions = {},
): Promise<ComputeLimits> {
  const compute = await ctx.client("compute", options.signal);
  const wire = await getLimits(compute, {}, options.signal ? { signal: options.signal } : {});
  return normalizeLimits(wire, await ctx.normalizeContext());
}

/** Every service of the catalog with its version and microversion range (or its problem). */
export async function serviceCapabilities(ctx: CloudContext): Promise<ServiceCapability[]> {
  const services = await ctx.connection.services();
  return services.map((service) => ({
    serviceType: service.serviceType,
    ...(service.version !== undefined && { version: service.version }),
    ...(service.endpoint !== undefined && { endpoint: service.endpoint }),
    ...(service.microversions && { microversions: service.microversions }),
    ...(service.serverMicroversions && { serverMicroversions: service.serverMicroversions }),
    ...(service.error !== undefined && { error: service.error }),
  }));
}

/** Neutron's presence, extensions and external networks (memoized per context). */
export function neutronFacts(ctx: CloudContext): Promise<NeutronFacts> {
  return ctx.memo("caps:neutron", async () => {
    const network = await ctx.optionalClient("network");
    if (!network) return { present: false, extensions: new Set<string>(), externalNetworkIds: [] };
    const [extensions, external] = await Promise.all([listExtensions(network), listExternalNetworks(ctx)]);
    return {
      present: true,
      extensions: new Set(extensions.map((extension) => extension.alias)),
      externalNetworkIds: external.map((net) => net.id),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Floating IPs

/** What {@link decideFloatingIpModel} decides from. */
export interface FloatingIpFacts {
  /** clouds.yaml `floating_ip_source`, when set. */
  readonly configured?: FloatingIpModel;
  readonly neutron: boolean;
  /** Neutron has the L3 extension ("router"), which brings floating IPs. */
  readonly neutronL3: boolean;
  readonly externalNetworks: number;
  /** nova-network pools, when probed (no neutron and compute can serve the proxy APIs). */
  readonly novaPools?: number;
}

/**
 * Which floating IP API a cloud has. Decision table, first match wins:
 * 1. clouds.yaml sets `floating_ip_source` -> that (`None` means none), whatever the cloud has;
 * 2. neutron is in the catalog with the L3 extension and at least one external network ->
 *    neutron floating IPs;
 * 3. neutron is there but has no L3 extension or no external network -> none (floating IPs
 *    need an external network to come from; such clouds usually put servers on a routable
 *    network directly);
 * 4. no neutron, and nova's os-floating-ip-pools (nova-network proxy, compute microversion
 *    2.35 or lower) lists at least one pool -> nova floating IPs;
 * 5. otherwise none.
 */
export function decideFloatingIpModel(facts: FloatingIpFacts): { model: FloatingIpModel; reason: string } {
  if (facts.configured !== undefined) {
    return { model: facts.configured, reason: `clouds.yaml sets floating_ip_source to ${facts.configured}` };
  }
  if (facts.neutron) {
    if (!facts.neutronL3) return { model: "none", reason: "neutron has no L3 (router) extension" };
    if (facts.externalNetworks === 0) return { model: "none", reason: "neutron has no external network" };
    return { model: "neutron", reason: `neutron with ${facts.externalNetworks} external network(s)` };
  }
  if ((facts.novaPools ?? 0) > 0) {
    return { model: "nova", reason: `no neutron; nova-network has ${facts.novaPools} floating IP pool(s)` };
  }
  return {
    model: "none",
    reason:
      facts.novaPools === undefined
        ? "no neutron, and compute cannot serve the nova-network floating IP API"
        : "no neutron, and nova-network has no floating IP pool",
  };
}

/** Where this cloud's floating IPs come from (memoized per context): see decideFloatingIpModel. */
export function floatingIpCapability(ctx: CloudContext): Promise<Capabilities["floatingIps"]> {
  return ctx.memo("caps:floating-ips", () => probeFloatingIps(ctx));
}

async function probeFloatingIps(ctx: CloudContext): Promise<Capabilities["floatingIps"]> {
  const configured = ctx.connection.config.floatingIpSource;
  const neutron = await neutronFacts(ctx);
  let pools: string[] | undefined;
  if (!neutron.present && configured !== "none") pools = await novaPools(ctx);
  const decision = decideFloatingIpModel({
    ...(configured !== undefined && { configured }),
    neutron: neutron.present,
    neutronL3: neutron.extensions.has("router"),
    externalNetworks: neutron.externalNetworkIds.length,
    ...(pools !== undefined && { novaPools: pools.length }),
  });
  return {
    ...decision,
    externalNetworkIds: neutron.present ? neutron.externalNetworkIds : [],
    novaPools: pools ?? [],
  };
}

/** nova-network's floating IP pools, or undefined when compute cannot serve the proxy API. */
async function novaPools(ctx: CloudContext): Promise<string[] | undefined> {
  const compute = await ctx.optionalClient("compute");
  if (!compute || !canProxy(compute)) return undefined;
  try {
    return (await listNovaFloatingIpPools(compute)).map((pool) => pool.name);
  } catch (error) {
    // NOTE: compute answers 404 here when nova-network and neutron are both absent.
    if (error instanceof OaktreeError) return undefined;
    throw error;
  }
}

/** True when compute can still serve nova's network proxy APIs (microversion <= 2.35). */
function canProxy(compute: ServiceClient): boolean {
  const min = compute.microversions?.min;
  return min === undefined || compareMicroversions(min, NOVA_NETWORK_PROXY_MAX) <= 0;
}

// ---------------------------------------------------------------------------------------------
// Security groups

/**
 * Which security group API a cloud has. Decision table, first match wins:
 * 1. clouds.yaml `secgroup_source` (neutron, nova or None) -> that;
 * 2. neutron with the "security-group" extension -> neutron;
 * 3. neutron without it -> none (the cloud has no security groups, e.g. Rackspace);
 * 4. no neutron, compute serves the nova-network proxy (microversion 2.35 or lower) -> nova;
 * 5. otherwise none.
 */
export function decideSecurityGroupModel(facts: {
  readonly configured?: string;
  readonly neutron: boolean;
  readonly neutronSecurityGroups: boolean;
  readonly novaProxy: boolean;
}): { model: "neutron" | "nova" | "none"; reason: string } {
  const configured = facts.configured?.toLowerCase();
  if (configured === "neutron" || configured === "nova" || configured === "none") {
    return { model: configured, reason: `clouds.yaml sets secgroup_source to ${facts.configured}` };
  }
  if (facts.neutron) {
    return facts.neutronSecurityGroups
      ? { model: "neutron", reason: 'neutron with the "security-group" extension' }
      : { model: "none", reason: 'neutron has no "security-group" extension' };
  }
  if (facts.novaProxy) return { model: "nova", reason: "no neutron; nova-network security groups" };
  return { model: "none", reason: "no neutron, and compute cannot serve os-security-groups" };
}

function securityGroupCapability(ctx: CloudContext): Promise<Capabilities["securityGroups"]> {
  return ctx.memo("caps:security-groups", async () => {
    const neutron = await neutronFacts(ctx);
    const compute = neutron.present ? undefined : await ctx.optionalClient("compute");
    const configured = ctx.connection.config.extra.secgroup_source;
    return decideSecurityGroupModel({
      ...(typeof configured === "string" && { configured }),
      neutron: neutron.present,
      neutronSecurityGroups: neutron.extensions.has("security-group"),
      novaProxy: compute !== undefined && canProxy(compute),
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Images

/** What {@link decideImageUploadMethods} decides from. */
export interface ImageUploadFacts {
  /** Glance API version in use: "2" or "1". */
  readonly apiVersion: string;
  /** Interoperable import methods from glance v2 /info/import. */
  readonly importMethods: readonly string[];
  /** The vendor profile or clouds.yaml says `image_api_use_tasks: true`. */
  readonly useTasks: boolean;
  /** The cloud has object storage (task import reads the data from there). */
  readonly objectStore: boolean;
}

/**
 * The upload methods to try, best first. Decision table:
 * - glance v1 only -> `v1-post` (v1 has no import and no tasks);
 * - glance v2 and `image_api_use_tasks` (vendor profile, e.g. Rackspace's) with object
 *   storage -> `task-import` first, the direct ways after it as fallbacks;
 * - glance v2 otherwise -> `v2-put` (one request for the data, what shade does), then
 *   `v2-import` when /info/import offers glance-direct, then `task-import` when the cloud has
 *   object storage.
 *
 * The fallbacks matter because a cloud may refuse a direct upload without saying so in any
 * API: createImage moves to the next method when one is refused with 403 (or 404/405/415 for
 * an import API switched off), remembers the method that worked for this context, and deletes
 * the queued image the refused method left behind.
 */
export function decideImageUploadMethods(facts: ImageUploadFacts): {
  methods: ImageUploadMethod[];
  reason: string;
} {
  if (facts.apiVersion.startsWith("1")) return { methods: ["v1-post"], reason: "glance v1" };
  const direct: ImageUploadMethod[] = ["v2-put"];
  if (facts.importMethods.includes("glance-direct")) direct.push("v2-import");
  if (facts.useTasks && facts.objectStore) {
    return {
      methods: ["task-import", ...direct],
      reason: "image_api_use_tasks is set: task import through object storage",
    };
  }
  const methods = facts.objectStore ? [...direct, "task-import" as const] : direct;
  return {
    methods,
    reason: facts.useTasks
      ? "image_api_use_tasks is set, but the cloud has no object storage: direct upload"
      : `glance v2: ${methods.join(", ")}`,
  };
}

/** The image service's formats and upload methods (memoized per context). */
export function imageCapabilities(ctx: CloudContext): Promise<ImageCapabilities> {
  return ctx.memo("caps:images", async () => {
    const image = await ctx.optionalClient("image");
    const config = ctx.connection.config;
    const defaultDiskFormat = config.imageFormat;
    if (!image) {
      return {
        diskFormats: [],
        containerFormats: [],
        uploadMethods: [],
        importMethods: [],
        ...(defaultDiskFormat !== undefined && { defaultDiskFormat }),
        reason: "the cloud has no image service",
      };
    }
    const v1 = image.version.startsWith("1");
    const [formats, importMethods, objectStore] = await Promise.all([
      v1
        ? { diskFormats: [...GLANCE_V1_DISK_FORMATS], containerFormats: [...GLANCE_V1_CONTAINER_FORMATS] }
        : getImageSchema(image).then(acceptedFormats),
      v1 ? [] : getImportMethods(image).catch(ignoreMissing([] as string[])),
      ctx.optionalClient("object-store").then((client) => client !== undefined),
    ]);
    const decision = decideImageUploadMethods({
      apiVersion: image.version,
      importMethods,
      useTasks: truthy(config.extra.image_api_use_tasks),
      objectStore,
    });
    return {
      apiVersion: v1 ? "1" : "2",
      ...formats,
      uploadMethods: decision.methods,
      importMethods,
      ...(defaultDiskFormat !== undefined && { defaultDiskFormat }),
      reason: decision.reason,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Get me a network

/** What {@link decideGetMeANetwork} decides from. */
export interface GetMeANetworkFacts {
  /** Compute's highest negotiated microversion (undefined without microversions). */
  readonly computeMaxMicroversion?: string;
  readonly neutron: boolean;
  readonly autoAllocatedTopology: boolean;
  readonly routers: boolean;
  readonly externalNetworks: number;
}

/**
 * How to serve `network: "auto"`. Decision table, first match wins:
 * 1. compute 2.37+ and neutron's "auto-allocated-topology" extension -> `nova-auto` (pass
 *    `networks: "auto"`; nova uses the project's one network, or asks neutron to allocate one;
 *    without the extension nova's "auto" fails at boot, so 2.37 alone is not enough);
 * 2. neutron's "auto-allocated-topology" extension -> `auto-allocated-topology` (oaktree asks
 *    neutron for the network and boots on it);
 * 3. neutron with routers and an external network -> `build` (oaktree builds network, subnet
 *    and router itself, idempotently, and marks them);
 * 4. no neutron -> `none`: nova-network attaches the project's networks by itself;
 * 5. neutron without routers or external network -> `none`: nothing can reach the outside.
 */
export function decideGetMeANetwork(facts: GetMeANetworkFacts): {
  method: GetMeANetworkMethod;
  reason: string;
} {
  const novaAuto =
    facts.computeMaxMicroversion !== undefined &&
    compareMicroversions(facts.computeMaxMicroversion, NOVA_AUTO_NETWORK_SINCE) >= 0;
  if (facts.neutron && facts.autoAllocatedTopology) {
    return novaAuto
      ? { method: "nova-auto", reason: `compute ${facts.computeMaxMicroversion} accepts networks "auto"` }
      : { method: "auto-allocated-topology", reason: 'neutron has the "auto-allocated-topology" extension' };
  }
  if (!facts.neutron)
    return { method: "none", reason: "no neutron: nova-network gives servers the project's networks" };
  if (facts.routers && facts.externalNetworks > 0) {
    return { method: "build", reason: "no auto-allocation: oaktree builds network, subnet and router" };
  }
  return {
    method: "none",
    reason: facts.routers ? "neutron has no external network to route to" : "neutron has no router extension",
  };
}

/** The get-me-a-network method of this cloud (memoized per context). */
export function getMeANetworkCapability(ctx: CloudContext): Promise<Capabilities["getMeANetwork"]> {
  return ctx.memo("caps:get-me-a-network", async () => {
    const [neutron, compute] = await Promise.all([neutronFacts(ctx), ctx.optionalClient("compute")]);
    const max = compute?.microversions?.max;
    return decideGetMeANetwork({
      ...(max !== undefined && { computeMaxMicroversion: max }),
      neutron: neutron.present,
      autoAllocatedTopology: neutron.extensions.has("auto-allocated-topology"),
      routers: neutron.extensions.has("router"),
      externalNetworks: neutron.externalNetworkIds.length,
    });
  });
}

// ---------------------------------------------------------------------------------------------

/** clouds.yaml booleans may be YAML booleans or strings ("True", "yes"). */
function truthy(value: unknown): boolean {
  return (
    value === true || (typeof value === "string" && ["true", "yes", "1", "on"].includes(value.toLowerCase()))
  );
}

/** A fallback value for an API the cloud does not have (404 / not found / not supported). */
function ignoreMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    const status = (error as { status?: unknown }).status;
    if (status === 404 || status === 405 || status === 501) return fallback;
    throw error;
  };
}

/** Waits for a shared promise, giving up (for this caller only) when `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

import type { ComputeLimits } from "./limits.js";
import type { Location } from "./location.js";

/** Which API gives servers floating IPs on this cloud, if any. */
export type FloatingIpModel = "neutron" | "nova" | "none";

/**
 * How image data reaches glance, in oaktree's names:
 * - `v2-put`: POST /v2/images, then PUT /v2/images/{id}/file (the classic v2 upload);
 * - `v2-import`: glance-direct interoperable import (PUT .../stage, then POST .../import);
 * - `v1-post`: POST /v1/images with the data as the body (glance v1 only clouds);
 * - `task-import`: upload to object storage, then a glance v2 `import` task reads it from
 *   there (clouds that refuse direct uploads, e.g. Rackspace).
 */
export type ImageUploadMethod = "v2-put" | "v2-import" | "v1-post" | "task-import";

/**
 * How `network: "auto"` is served:
 * - `nova-auto`: pass `networks: "auto"` to nova (microversion 2.37+), nova does the rest;
 * - `auto-allocated-topology`: ask neutron's auto-allocated-topology for the project's network;
 * - `build`: oaktree builds network + subnet + router to the external network itself;
 * - `none`: nothing to do or nothing possible (see the reason).
 */
export type GetMeANetworkMethod = "nova-auto" | "auto-allocated-topology" | "build" | "none";

/** One service of the catalog as oaktree uses it. */
export interface ServiceCapability {
  /** Official type, e.g. "compute", "block-storage". */
  readonly serviceType: string;
  /** The API version in use, e.g. "2.1", "2", "3". */
  readonly version?: string;
  readonly endpoint?: string;
  /** Microversions oaktree may send: [server min, min(oaktree max, server max)]. */
  readonly microversions?: { readonly min: string; readonly max: string };
  /** The server's own microversion range. */
  readonly serverMicroversions?: { readonly min: string; readonly max: string };
  /** Why oaktree cannot use the service, when it cannot. */
  readonly error?: string;
}

/** What the cloud's image service accepts and how oaktree uploads to it. */
export interface ImageCapabilities {
  /** Glance API version in use ("2" or "1"); absent without an image service. */
  readonly apiVersion?: string;
  /** Disk formats glance accepts; empty when the cloud does not say (then anything goes). */
  readonly diskFormats: readonly string[];
  readonly containerFormats: readonly string[];
  /** Upload methods in oaktree's order of preference; later ones are fallbacks. */
  readonly uploadMethods: readonly ImageUploadMethod[];
  /** Interoperable import methods glance v2 announces in /info/import. */
  readonly importMethods: readonly string[];
  /** The disk format the cloud wants by default (clouds.yaml `image_format`). */
  readonly defaultDiskFormat?: string;
  /** Why the upload methods are what they are. */
  readonly reason: string;
}

/** What one cloud/region/project offers, probed once per Cloud. */
export interface Capabilities {
  readonly location: Location;
  readonly floatingIps: {
    readonly model: FloatingIpModel;
    /** Ids of neutron's external networks (floating IP sources); empty on nova-network. */
    readonly externalNetworkIds: readonly string[];
    /** nova-network floating IP pools; empty on neutron clouds. */
    readonly novaPools: readonly string[];
    readonly reason: string;
  };
  readonly securityGroups: {
    readonly model: "neutron" | "nova" | "none";
    readonly reason: string;
  };
  readonly images: ImageCapabilities;
  readonly getMeANetwork: {
    readonly method: GetMeANetworkMethod;
    readonly reason: string;
  };
  /** Neutron extension aliases (empty without neutron). */
  readonly networkExtensions: readonly string[];
  readonly services: readonly ServiceCapability[];
  /** Compute limits and usage when probed (usage changes: ask again for a fresh view). */
  readonly computeLimits?: ComputeLimits;
}

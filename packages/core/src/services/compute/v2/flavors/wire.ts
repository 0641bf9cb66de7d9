import type { LinkWire } from "../servers/wire.js";

/** A flavor of GET /flavors/detail or /flavors/{id}. */
export interface FlavorWire {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  /** MiB */
  readonly ram: number;
  /** GiB */
  readonly disk: number;
  /** MiB. NOTE: nova sends "" (a string) for no swap before 2.75, 0 from 2.75 on. */
  readonly swap: number | "";
  readonly "OS-FLV-EXT-DATA:ephemeral"?: number;
  readonly "OS-FLV-DISABLED:disabled"?: boolean;
  readonly "os-flavor-access:is_public"?: boolean;
  readonly rxtx_factor?: number;
  readonly links?: readonly LinkWire[];
  /** 2.55 */
  readonly description?: string | null;
  /** 2.61 (when policy lets the caller see them) */
  readonly extra_specs?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

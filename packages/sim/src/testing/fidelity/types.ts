import type { ProfileName } from "../../profiles.js";
import type { Simulator } from "../../simulator.js";
import type { TestClient } from "../client.js";

/** A request a row sends (path from the simulator's root, e.g. `/compute/v2.1/servers`). */
export interface RowRequest {
  readonly path: string;
  readonly body?: unknown;
  /** A raw body (sent as is, for malformed-JSON checks). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** A response as a row sees it. */
export interface RowResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** What a row's request builder can use: clients, seeded ids and helpers that create resources. */
export interface FidelityContext {
  readonly sim: Simulator;
  readonly demo: TestClient;
  readonly admin: TestClient;
  /** The cirros image. */
  readonly image: string;
  /** Ids of the fresh cloud's networking (empty strings where the profile has none). */
  readonly net: {
    readonly public: string;
    readonly private: string;
    readonly privateSubnet: string;
    readonly router: string;
  };
  /** Creates an ACTIVE server of demo's (on `private` unless `networks` says otherwise); returns its id. */
  server(extra?: Record<string, unknown>, microversion?: string): Promise<string>;
  /** Inserts an available volume of demo's into the world (no block-storage API needed); returns its id. */
  volume(): string;
  /** Creates a neutron resource as demo (`network`, `subnet`, `port`, `router`, `floatingip`, ...); returns it. */
  neutron(kind: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A fresh name. */
  name(prefix: string): string;
}

/** One row of the fidelity table: a route, a request, and the upstream sample its answer must match. */
export interface FidelityRow {
  readonly service: "identity" | "compute" | "network" | "image" | "block-storage" | "object-store";
  /** Method and registry path: `GET /v2.1/servers/{server_id}` (see `registeredRoutes`). */
  readonly route: string;
  /** Profile to run on (default `modern`). */
  readonly profile?: ProfileName;
  /** Caller (default demo); `none` sends no token. */
  readonly as?: "demo" | "admin" | "none";
  /** Microversion to request (`OpenStack-API-Version: compute X`, or `volume X` for block-storage). */
  readonly mv?: string;
  readonly req: (x: FidelityContext) => Promise<RowRequest> | RowRequest;
  /** Expected status. */
  readonly status: number;
  /** Upstream sample (path under the fixtures root) the body must match in shape. */
  readonly sample?: string;
  /** Why no upstream sample applies (when `sample` is absent). */
  readonly noSample?: string;
  /** Wraps the sample in this envelope first (samples that forgot the one the API sends). */
  readonly wrap?: string;
  /** Paths the shape check skips (`a.b`) or checks only as an object (`a.b.*`). */
  readonly ignore?: readonly string[];
  /**
   * Justified differences from the sample: path (as in `ignore`) → why the simulator's answer rightly
   * differs there (the sample was made with other options, a key the sample lacks but the API sends, an
   * array the simulator leaves empty because it does not model its items). The shape check skips them.
   */
  readonly exceptions?: Readonly<Record<string, string>>;
  /** Extra assertions on the answer. */
  readonly check?: (res: RowResponse, x: FidelityContext) => void | Promise<void>;
}

/** Shorthand for a row. */
export function row(
  service: FidelityRow["service"],
  route: string,
  status: number,
  req: FidelityRow["req"],
  opts: Omit<FidelityRow, "service" | "route" | "status" | "req"> = {},
): FidelityRow {
  return { service, route, status, req, ...opts };
}

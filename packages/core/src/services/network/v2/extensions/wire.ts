/** One API extension neutron has loaded (`GET /v2.0/extensions`). */
export interface ExtensionWire {
  /** The stable name capabilities are keyed by, e.g. "router", "auto-allocated-topology". */
  readonly alias: string;
  readonly name: string;
  readonly description: string;
  readonly updated?: string;
  readonly links?: readonly unknown[];
}

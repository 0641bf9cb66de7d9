/** The network neutron allocated (or found) for a project: its id is the network's. */
export interface AutoAllocatedTopologyWire {
  /** The network id. */
  readonly id: string;
  readonly tenant_id?: string;
  readonly project_id?: string;
}

/** Answer of the `?fields=dry-run` check when every requirement holds. */
export interface AutoAllocatedTopologyDryRunWire {
  readonly "dry-run": string;
}

/** `{"auto_allocated_topology": ...}`. */
export interface AutoAllocatedTopologyEnvelopeWire<T> {
  readonly auto_allocated_topology: T;
}

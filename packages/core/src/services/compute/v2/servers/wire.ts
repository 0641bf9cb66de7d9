/** The JSON of nova servers, exactly as compute v2.1 sends it (microversions noted per field). */

/** A `links` entry. */
export interface LinkWire {
  readonly href: string;
  readonly rel: string;
  readonly type?: string;
}

/** One address of a server in `addresses[<network name>]`. */
export interface AddressWire {
  readonly addr: string;
  readonly version: 4 | 6;
  /** "fixed" or "floating"; absent on clouds without the extended-ips extension. */
  readonly "OS-EXT-IPS:type"?: string;
  readonly "OS-EXT-IPS-MAC:mac_addr"?: string;
}

/**
 * The flavor of a server: a reference before 2.47; from 2.47 on, a copy of the flavor as
 * booted (no id), with `extra_specs` when the caller may see them.
 */
export interface ServerFlavorWire {
  /** Before 2.47. */
  readonly id?: string;
  readonly links?: readonly LinkWire[];
  /** 2.47 and later. */
  readonly original_name?: string;
  readonly vcpus?: number;
  readonly ram?: number;
  readonly disk?: number;
  readonly ephemeral?: number;
  readonly swap?: number;
  readonly extra_specs?: Readonly<Record<string, string>>;
}

/** The image of a server; `properties` since 2.98. */
export interface ServerImageWire {
  readonly id: string;
  readonly links?: readonly LinkWire[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** Why a server went to ERROR (or DELETED); on servers in those states only. */
export interface ServerFaultWire {
  readonly code: number;
  readonly message: string;
  readonly created: string;
  /** Admins only. */
  readonly details?: string;
}

/** A server of GET /servers/{id} or /servers/detail. Partial for servers in a down cell (2.69). */
export interface ServerWire {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
  readonly tenant_id?: string;
  readonly user_id?: string;
  readonly hostId?: string;
  readonly created?: string;
  readonly updated?: string;
  readonly addresses?: Readonly<Record<string, readonly AddressWire[]>>;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
  readonly flavor?: ServerFlavorWire;
  /** NOTE: nova sends "" (not null) for a server booted from a volume. */
  readonly image?: ServerImageWire | "";
  readonly key_name?: string | null;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly security_groups?: readonly { readonly name: string }[];
  /** NOTE: nova sends "True" or "" (strings); some clouds send booleans. */
  readonly config_drive?: string | boolean;
  readonly progress?: number;
  readonly links?: readonly LinkWire[];
  readonly fault?: ServerFaultWire;
  /** 2.9 */
  readonly locked?: boolean;
  /** 2.16 (admins, or servers whose host is down) */
  readonly host_status?: string | null;
  /** 2.19 */
  readonly description?: string | null;
  /** 2.26 */
  readonly tags?: readonly string[];
  /** 2.63 */
  readonly trusted_image_certificates?: readonly string[] | null;
  /** 2.71 */
  readonly server_groups?: readonly string[];
  /** 2.73 */
  readonly locked_reason?: string | null;
  /** 2.96 */
  readonly pinned_availability_zone?: string | null;
  /** 2.100 */
  readonly scheduler_hints?: Readonly<Record<string, unknown>>;
  readonly "OS-DCF:diskConfig"?: string;
  readonly "OS-EXT-AZ:availability_zone"?: string;
  readonly "OS-EXT-SRV-ATTR:host"?: string | null;
  readonly "OS-EXT-SRV-ATTR:hypervisor_hostname"?: string | null;
  readonly "OS-EXT-SRV-ATTR:instance_name"?: string;
  /** 2.3 (admins) and 2.90 (everyone): the hostname. */
  readonly "OS-EXT-SRV-ATTR:hostname"?: string;
  readonly "OS-EXT-STS:power_state"?: number;
  readonly "OS-EXT-STS:task_state"?: string | null;
  readonly "OS-EXT-STS:vm_state"?: string;
  /** `delete_on_termination` since 2.3. */
  readonly "os-extended-volumes:volumes_attached"?: readonly {
    readonly id: string;
    readonly delete_on_termination?: boolean;
  }[];
  readonly "OS-SRV-USG:launched_at"?: string | null;
  readonly "OS-SRV-USG:terminated_at"?: string | null;
  /** Any other key a vendor or a newer microversion adds. */
  readonly [key: string]: unknown;
}

/** A server of GET /servers (no detail). */
export interface ServerSummaryWire {
  readonly id: string;
  readonly name: string;
  readonly links?: readonly LinkWire[];
}

/** The answer to POST /servers (202). */
export interface ServerCreatedWire {
  readonly id: string;
  readonly links?: readonly LinkWire[];
  /** Absent when the cloud disables admin passwords. */
  readonly adminPass?: string;
  readonly security_groups?: readonly { readonly name: string }[];
  readonly "OS-DCF:diskConfig"?: string;
}

/** A block device mapping as POST /servers takes it. */
export interface BlockDeviceMappingWire {
  readonly boot_index?: number | null;
  readonly uuid?: string;
  readonly source_type: "image" | "volume" | "snapshot" | "blank";
  readonly destination_type?: "volume" | "local";
  readonly volume_size?: number;
  readonly delete_on_termination?: boolean;
  readonly device_name?: string;
  readonly device_type?: string;
  readonly disk_bus?: string;
  readonly guest_format?: string;
  /** 2.42 (2.32 only, then dropped until 2.42) */
  readonly tag?: string;
  /** 2.67 */
  readonly volume_type?: string;
}

/** A network entry of POST /servers. */
export interface NetworkRequestWire {
  readonly uuid?: string;
  readonly port?: string;
  readonly fixed_ip?: string;
  /** 2.42 (2.32 only, then dropped until 2.42) */
  readonly tag?: string;
}

/** The `server` object of POST /servers. */
export interface ServerCreateWire {
  readonly name: string;
  readonly imageRef?: string;
  readonly flavorRef: string;
  /** "auto" and "none" since 2.37 (where the key became required). */
  readonly networks?: "auto" | "none" | readonly NetworkRequestWire[];
  readonly block_device_mapping_v2?: readonly BlockDeviceMappingWire[];
  readonly key_name?: string;
  readonly security_groups?: readonly { readonly name: string }[];
  readonly user_data?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly config_drive?: boolean;
  readonly availability_zone?: string;
  readonly min_count?: number;
  readonly max_count?: number;
  readonly adminPass?: string;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
  /** 2.19 */
  readonly description?: string;
  /** 2.52 */
  readonly tags?: readonly string[];
  /** 2.90 */
  readonly hostname?: string;
}

/** The body of POST /servers. */
export interface ServerCreateRequestWire {
  readonly server: ServerCreateWire;
  /** NOTE: beside "server", not inside it. */
  readonly "os:scheduler_hints"?: Readonly<Record<string, string | readonly string[]>>;
}

/** One port of GET /servers/{id}/os-interface. */
export interface InterfaceAttachmentWire {
  readonly port_id: string;
  readonly net_id: string;
  readonly mac_addr: string;
  readonly port_state: string;
  readonly fixed_ips: readonly { readonly ip_address: string; readonly subnet_id: string }[];
  /** 2.70 */
  readonly tag?: string | null;
}

/** One volume attachment of /servers/{id}/os-volume_attachments. */
export interface VolumeAttachmentWire {
  /** The volume id (before 2.89 also the attachment's id). */
  readonly id?: string;
  readonly volumeId: string;
  readonly serverId: string;
  readonly device: string | null;
  /** 2.70 */
  readonly tag?: string | null;
  /** 2.79 */
  readonly delete_on_termination?: boolean;
  /** 2.89 */
  readonly attachment_id?: string;
  /** 2.89 */
  readonly bdm_uuid?: string;
}

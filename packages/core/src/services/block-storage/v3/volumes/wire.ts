/** One attachment of a volume to a server, as listed inside the volume. */
export interface VolumeAttachmentWire {
  readonly id: string;
  readonly server_id: string;
  readonly attachment_id: string;
  readonly volume_id: string;
  readonly device: string | null;
  readonly host_name: string | null;
  readonly attached_at?: string;
}

/**
 * One volume as cinder sends it (`GET /v3/{project}/volumes/{id}`). v2 has the same shape
 * without the fields later microversions add.
 */
export interface VolumeWire {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  /** GiB. */
  readonly size: number;
  readonly availability_zone: string;
  /** NOTE: cinder sends a STRING, "true" or "false". */
  readonly bootable: string;
  readonly attachments: readonly VolumeAttachmentWire[];
  readonly created_at: string;
  readonly updated_at: string | null;
  readonly description: string | null;
  /** The type's name ("None" or "__DEFAULT__" on clouds without types). */
  readonly volume_type: string | null;
  readonly snapshot_id: string | null;
  readonly source_volid: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly links?: readonly { readonly href: string; readonly rel: string }[];
  readonly encrypted?: boolean;
  readonly multiattach?: boolean;
  readonly user_id?: string;
  readonly replication_status?: string | null;
  readonly consistencygroup_id?: string | null;
  readonly migration_status?: string | null;
  /** Present when the volume was made from an image. */
  readonly volume_image_metadata?: Readonly<Record<string, string>>;
  readonly "os-vol-tenant-attr:tenant_id"?: string;
  readonly "os-vol-host-attr:host"?: string | null;
  readonly "os-vol-mig-status-attr:migstat"?: string | null;
  readonly "os-vol-mig-status-attr:name_id"?: string | null;
  /** Microversion 3.13. */
  readonly group_id?: string | null;
  /** Microversion 3.21. */
  readonly provider_id?: string | null;
  /** Microversion 3.48 (3.69 makes it nullable). */
  readonly shared_targets?: boolean | null;
  readonly service_uuid?: string | null;
  /** Microversion 3.61. */
  readonly cluster_name?: string | null;
  /** Microversion 3.63. */
  readonly volume_type_id?: string;
  /** Microversion 3.65. */
  readonly consumes_quota?: boolean;
}

/** Body of `POST /volumes` (inside `{"volume": ...}`). */
export interface VolumeCreateWire {
  readonly size?: number;
  readonly name?: string;
  readonly description?: string;
  readonly volume_type?: string;
  readonly availability_zone?: string;
  readonly imageRef?: string;
  readonly snapshot_id?: string;
  readonly source_volid?: string;
  readonly backup_id?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly multiattach?: boolean;
  readonly consistencygroup_id?: string;
}

/** Body of `PUT /volumes/{id}` (inside `{"volume": ...}`). */
export interface VolumeUpdateWire {
  readonly name?: string;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

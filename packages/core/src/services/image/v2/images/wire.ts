/**
 * A glance v2 image. Besides the core keys below, every custom property is a top-level key
 * (string values), so the interface keeps an index signature.
 */
export interface ImageWire {
  readonly id: string;
  readonly name: string | null;
  /** queued, saving, uploading, importing, active, deactivated, killed, deleted, pending_delete */
  readonly status: string;
  /** public, private, shared, community (shared/community since v2.5) */
  readonly visibility: string;
  readonly disk_format: string | null;
  readonly container_format: string | null;
  readonly size: number | null;
  readonly virtual_size?: number | null;
  /** MD5 (legacy) */
  readonly checksum: string | null;
  /** Since Rocky (v2.7) */
  readonly os_hash_algo?: string | null;
  readonly os_hash_value?: string | null;
  /** Since Rocky (v2.7) */
  readonly os_hidden?: boolean;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  readonly protected: boolean;
  readonly tags: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly self?: string;
  readonly file?: string;
  readonly schema?: string;
  readonly locations?: readonly { readonly url: string; readonly metadata: Record<string, unknown> }[];
  readonly direct_url?: string;
  readonly stores?: string;
  readonly [property: string]: unknown;
}

/** One operation of PATCH /images/{id} (media type application/openstack-images-v2.1-json-patch). */
export type ImagePatchOperation =
  | { readonly op: "add" | "replace"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/** The body of GET /info/import. */
export interface ImportInfoWire {
  readonly "import-methods": {
    readonly description?: string;
    readonly type?: string;
    readonly value: readonly string[];
  };
}

/** The parts of GET /schemas/image that oaktree reads. */
export interface ImageSchemaWire {
  readonly name: string;
  readonly properties: Readonly<
    Record<
      string,
      { readonly type?: unknown; readonly enum?: readonly (string | null)[]; readonly description?: string }
    >
  >;
  readonly [key: string]: unknown;
}

/**
 * A glance v1 image, as in the JSON of GET /images/detail, POST and PUT. HEAD /images/{id}
 * carries the same fields as `x-image-meta-*` headers; the binding turns them into this shape.
 */
export interface ImageV1Wire {
  readonly id: string;
  readonly name: string | null;
  /** queued, saving, active, killed, deleted, pending_delete */
  readonly status: string;
  readonly is_public: boolean;
  readonly disk_format: string | null;
  readonly container_format: string | null;
  readonly size: number | null;
  readonly checksum: string | null;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  readonly protected: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted?: boolean;
  readonly deleted_at?: string | null;
  readonly virtual_size?: number | null;
  /** Custom properties (`x-image-meta-property-<key>` headers). */
  readonly properties: Readonly<Record<string, string>>;
}

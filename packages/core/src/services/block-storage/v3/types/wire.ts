/** One volume type as cinder sends it. */
export interface VolumeTypeWire {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly is_public?: boolean;
  readonly "os-volume-type-access:is_public"?: boolean;
  /** Admin only on most clouds (empty for others). */
  readonly extra_specs?: Readonly<Record<string, string>>;
  readonly qos_specs_id?: string | null;
}

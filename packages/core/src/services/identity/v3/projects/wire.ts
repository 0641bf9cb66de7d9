/** A keystone v3 project. */
export interface ProjectWire {
  readonly id: string;
  readonly name: string;
  readonly domain_id: string;
  readonly description?: string | null;
  readonly enabled?: boolean;
  readonly is_domain?: boolean;
  readonly parent_id?: string | null;
  /** Since Queens. */
  readonly tags?: readonly string[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly links?: { readonly self: string };
  readonly [key: string]: unknown;
}

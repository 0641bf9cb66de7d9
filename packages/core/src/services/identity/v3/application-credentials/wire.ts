/** A keystone v3 application credential; `secret` only in the answer to create. */
export interface ApplicationCredentialWire {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly project_id: string;
  readonly expires_at: string | null;
  readonly unrestricted: boolean;
  readonly roles: readonly {
    readonly id?: string;
    readonly name?: string;
    readonly domain_id?: string | null;
  }[];
  /** Since Train. */
  readonly access_rules?: readonly {
    readonly id?: string;
    readonly path: string;
    readonly method: string;
    readonly service: string;
  }[];
  readonly secret?: string;
  readonly links?: { readonly self: string };
}

/** A keystone v3 domain. */
export interface DomainWire {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly enabled?: boolean;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly links?: { readonly self: string };
}

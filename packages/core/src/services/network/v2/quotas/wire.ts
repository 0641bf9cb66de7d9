/** A project's network quotas: resource name -> limit (-1 is unlimited). */
export interface QuotaWire {
  readonly network?: number;
  readonly subnet?: number;
  readonly port?: number;
  readonly router?: number;
  readonly floatingip?: number;
  readonly security_group?: number;
  readonly security_group_rule?: number;
  readonly subnetpool?: number;
  readonly rbac_policy?: number;
  readonly [resource: string]: number | undefined;
}

/** Usage of one resource (extension "quota_details"). */
export interface QuotaDetailWire {
  readonly limit: number;
  readonly used: number;
  readonly reserved: number;
}

/** A project's quotas with usage: resource name -> detail. */
export type QuotaDetailsWire = Readonly<Record<string, QuotaDetailWire>>;

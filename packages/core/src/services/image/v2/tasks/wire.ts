/** A glance v2 task (the legacy import path some clouds require, e.g. Rackspace). */
export interface TaskWire {
  readonly id: string;
  readonly type: string;
  /** pending, processing, success, failure */
  readonly status: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** On success: `{ image_id }`. */
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly message: string;
  readonly owner: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at?: string | null;
  readonly self?: string;
  readonly schema?: string;
}

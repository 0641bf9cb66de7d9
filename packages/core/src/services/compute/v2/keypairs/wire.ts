/** A keypair as nova sends it (list entries lack id, user_id, created_at and deleted). */
export interface KeypairWire {
  readonly name: string;
  readonly public_key: string;
  readonly fingerprint: string;
  /** "ssh" or "x509"; 2.2 */
  readonly type?: string;
  readonly user_id?: string;
  readonly id?: number;
  readonly created_at?: string;
  readonly updated_at?: string | null;
  readonly deleted?: boolean;
  readonly deleted_at?: string | null;
  /** Only in the answer to a create that generated the key (before 2.92). */
  readonly private_key?: string;
}

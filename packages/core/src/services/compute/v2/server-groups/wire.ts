/** A server group; `policies` before 2.64, `policy` + `rules` from 2.64 on. */
export interface ServerGroupWire {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  /** Before 2.64: a one-element list. */
  readonly policies?: readonly string[];
  /** 2.64 */
  readonly policy?: string;
  /** 2.64, e.g. `{ max_server_per_host: 3 }` */
  readonly rules?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, string>>;
  /** 2.13 */
  readonly project_id?: string;
  /** 2.13 */
  readonly user_id?: string;
}

import { OaktreeError } from "../errors.js";

/** What kind of input a setting came from; names the file in error messages. */
export type OriginKind =
  | "clouds.yaml"
  | "secure.yaml"
  | "clouds-public.yaml"
  | "vendor profile"
  | "environment"
  | "arguments";

/** Where a piece of configuration came from: a kind and, for files, the path. */
export interface ConfigOrigin {
  readonly kind: OriginKind;
  /** The file's path; for a vendor profile, the shipped data file. */
  readonly path?: string;
  /** Extra words after the kind, e.g. the profile name or "none found: looked in ...". */
  readonly detail?: string;
}

/** `clouds.yaml (/home/u/.config/openstack/clouds.yaml)`, `environment (OS_* variables)`, ... */
export function describeOrigin(origin: ConfigOrigin): string {
  const inside = [origin.detail, origin.path].filter((part) => part !== undefined).join(", ");
  if (inside !== "") return `${origin.kind} (${inside})`;
  if (origin.kind === "environment") return "environment (OS_* variables)";
  return origin.kind;
}

/** What a ConfigError is built from. */
export interface ConfigErrorOptions {
  readonly origin: ConfigOrigin;
  readonly cloud?: string;
  /** The clouds.yaml key (dotted for nested keys: `auth.password`) or variable (`OS_CLOUD`). */
  readonly key?: string;
  /** What is wrong, and where it helps, what to do: "missing (set it, or put it in secure.yaml)". */
  readonly problem: string;
}

/**
 * A mistake in the user's configuration. The message is one line naming the file, the cloud
 * and the key, e.g.
 * `clouds.yaml (/home/u/.config/openstack/clouds.yaml): cloud "prod": auth.password: missing (set it, or put it in secure.yaml)`.
 */
export class ConfigError extends OaktreeError {
  override readonly name = "ConfigError";
  /** The file's path, or the origin's label ("environment", "arguments") when there is no file. */
  readonly file: string;
  readonly cloud: string | undefined;
  readonly key: string | undefined;
  readonly origin: ConfigOrigin;
  readonly problem: string;

  constructor(options: ConfigErrorOptions) {
    const parts = [describeOrigin(options.origin)];
    if (options.cloud !== undefined) parts.push(`cloud "${options.cloud}"`);
    if (options.key !== undefined) parts.push(options.key);
    super(`${parts.join(": ")}: ${options.problem}`);
    this.origin = options.origin;
    this.file = options.origin.path ?? describeOrigin(options.origin);
    this.cloud = options.cloud;
    this.key = options.key;
    this.problem = options.problem;
  }
}

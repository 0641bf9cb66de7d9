import type { Env } from "./files.js";
import { AUTH_KEYS } from "./legacy.js";

/** OS_* variables that choose what to load rather than describe a cloud. */
const SELECTORS = new Set(["OS_CLOUD", "OS_CLOUD_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE"]);
/** Prefixes of OS_* variables that belong to test tooling, not to a cloud (as openstacksdk skips them). */
const IGNORED_PREFIXES = ["OS_TEST", "OS_STD", "OS_LOG"];

/** A cloud described by OS_* variables, in clouds.yaml shape, and which variable set each key. */
export interface EnvCloud {
  /** `{auth_url: ..., region_name: ..., auth: {...}}` before legacy fixes; empty when no OS_* variable is set. */
  readonly data: Record<string, unknown>;
  /** clouds.yaml key (`auth.password`, `interface`) -> the variable (`OS_PASSWORD`). */
  readonly variables: ReadonlyMap<string, string>;
  /** True when OS_AUTH_URL is set: the variables then form a cloud of their own. */
  readonly definesCloud: boolean;
}

/**
 * Reads OS_* variables into a cloud entry, as openstacksdk does: `OS_FOO_BAR` becomes `foo_bar`
 * (so OS_COMPUTE_API_VERSION, OS_INTERFACE, OS_CACERT, OS_INSECURE, ... all work), and the auth
 * keys (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_TENANT_NAME, OS_TOKEN,
 * OS_APPLICATION_CREDENTIAL_*, ...) go under `auth:`. Empty variables are ignored. OS_CLOUD,
 * OS_CLOUD_NAME, OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE are selectors, not settings.
 */
export function envCloud(env: Env): EnvCloud {
  const data: Record<string, unknown> = {};
  const auth: Record<string, unknown> = {};
  const variables = new Map<string, string>();
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (!name.startsWith("OS_") || value === undefined || value === "") continue;
    if (SELECTORS.has(name) || IGNORED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const key = name.slice(3).toLowerCase();
    if (AUTH_KEYS.has(key)) {
      auth[key] = value;
      variables.set(`auth.${key}`, name);
    } else {
      data[key] = value;
      variables.set(key, name);
    }
  }
  if (Object.keys(auth).length > 0) data.auth = auth;
  // legacy.ts renames these keys; keep the variable findable under the new name for messages.
  for (const [legacy, current] of [
    ["tenant_name", "project_name"],
    ["tenant_id", "project_id"],
    ["auth_token", "token"],
  ] as const) {
    const variable = variables.get(`auth.${legacy}`);
    if (variable !== undefined && !variables.has(`auth.${current}`))
      variables.set(`auth.${current}`, variable);
  }
  const authUrl = env.OS_AUTH_URL;
  return { data, variables, definesCloud: authUrl !== undefined && authUrl !== "" };
}

/** The name of the cloud built from OS_* variables: OS_CLOUD_NAME, else `envvars`. */
export function envCloudName(env: Env): string {
  const name = env.OS_CLOUD_NAME;
  return name !== undefined && name !== "" ? name : "envvars";
}

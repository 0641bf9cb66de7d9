import { stringify } from "yaml";
import { maskSecrets } from "./mask.js";
import type { CloudConfig } from "./types.js";

/**
 * A CloudConfig as text for people, with secrets masked (see maskSecrets): YAML by default, or
 * JSON. Empty optional sections (no warnings, no networks) are left out. This is what
 * `oaktree config show` prints.
 */
export function formatCloudConfig(config: CloudConfig, format: "yaml" | "json" = "yaml"): string {
  const { warnings, networks, ...rest } = maskSecrets(config);
  const shown = {
    ...rest,
    ...(networks !== undefined && networks.length > 0 ? { networks } : {}),
    ...(warnings !== undefined && warnings.length > 0 ? { warnings } : {}),
  };
  return format === "json" ? `${JSON.stringify(shown, null, 2)}\n` : stringify(shown);
}

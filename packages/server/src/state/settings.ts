/** The server config's `state:` key and the `--state` flag: where shared state lives. */
import { z } from "zod";
import { ServerConfigError } from "../config.js";

/** `state:` as written: `memory` (the default), or Redis shared by every replica. */
export const stateFileSchema = z.union([
  z.literal("memory"),
  z.strictObject({ backend: z.literal("memory") }),
  z.strictObject({
    backend: z.literal("redis"),
    url: z.string().regex(/^rediss?:\/\/[^\s]+$/, "expected redis://HOST:PORT (or rediss:// for TLS)"),
    /** Prefix of every key (default `oaktree:`): two deployments can share one Redis. */
    key_prefix: z.string().min(1).optional(),
  }),
]);

/** Where the server keeps caches, watch leases, client-token records and rate limits. */
export type StateSettings =
  | { readonly backend: "memory" }
  | { readonly backend: "redis"; readonly url: string; readonly keyPrefix?: string };

/**
 * The state settings from the file's `state:` and the `--state` flag (which wins): `memory`
 * or a `redis://` / `rediss://` URL.
 */
export function resolveStateSettings(
  file: z.infer<typeof stateFileSchema> | undefined,
  flag: string | undefined,
): StateSettings {
  if (flag !== undefined) {
    if (flag === "memory") return { backend: "memory" };
    if (!/^rediss?:\/\/[^\s]+$/.test(flag)) {
      throw new ServerConfigError(`--state: expected memory or redis://HOST:PORT, got "${flag}"`);
    }
    const keyPrefix = typeof file === "object" && file.backend === "redis" ? file.key_prefix : undefined;
    return { backend: "redis", url: flag, ...(keyPrefix !== undefined && { keyPrefix }) };
  }
  if (file === undefined || file === "memory" || file.backend === "memory") return { backend: "memory" };
  return {
    backend: "redis",
    url: file.url,
    ...(file.key_prefix !== undefined && { keyPrefix: file.key_prefix }),
  };
}

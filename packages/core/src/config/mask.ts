/** Key names whose values are secrets: passwords, tokens, application credential secrets, private keys. */
const SECRET_KEY = /secret|passw(or)?d|token|passcode|private_?key|api_?key|access_?key|credential$/i;
/** Inline key material (PEM), whatever its key is called. */
const KEY_MATERIAL = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** The replacement for a secret value. */
export const MASK = "***";

function mask(value: unknown, secret: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => mask(item, secret));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = mask(inner, SECRET_KEY.test(key));
    return out;
  }
  if (value === undefined || value === null) return value;
  if (secret || (typeof value === "string" && KEY_MATERIAL.test(value))) return MASK;
  return value;
}

/**
 * A copy of a configuration (a CloudConfig, or any clouds.yaml-shaped object) with every secret
 * replaced by "***": values under keys named like *password*, *secret*, *token*, passcode,
 * private_key/api_key/access_key, and any inline PEM private key. Paths to key files (`tls.key`,
 * `cert`, `cacert`) are not secrets and stay visible. Safe to print or log.
 *
 * @example maskSecrets(config).auth.password // "***"
 */
export function maskSecrets<T>(config: T): T {
  return mask(config, false) as T;
}

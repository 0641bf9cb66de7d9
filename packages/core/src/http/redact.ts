/**
 * Redaction of secrets before anything reaches a log line or an error message: auth headers,
 * passwords and tokens in JSON bodies (keystone auth requests, nova's `adminPass`, application
 * credential secrets) and secrets in query strings (swift temp URLs).
 */

/** What replaces a secret. */
export const REDACTED = "***";

/** Headers whose values are credentials. Compared lower-case. */
const SECRET_HEADERS = new Set([
  "x-auth-token",
  "x-subject-token",
  "x-service-token",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-auth-key",
  "x-storage-token",
]);

/**
 * JSON keys and query names whose (string) values are secrets: `password`, `adminPass`,
 * `secret`, `token`, `temp_url_sig`, `private_key`, `auth_key`, `credential`...
 */
const SECRET_KEY =
  /pass(word)?$|adminpass|secret|token|signature|_sig$|private_?key|auth_?key|credential|^key$/i;

/** Object keys under which an `id` is itself a credential (keystone v2 `access.token.id`, v3 `identity.token.id`). */
const TOKEN_CONTAINER = /^token$/i;

/** True when a header carries a credential. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** A plain object of the headers with credential values replaced by {@link REDACTED}. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = isSecretHeader(name) ? REDACTED : value;
  });
  return out;
}

/**
 * A deep copy of a JSON value with secrets replaced. String values under secret-looking keys
 * are redacted; the `id` inside a `token` object too. Non-string values under secret keys
 * (e.g. keystone's `"password": {"user": ...}` method object) are walked, not dropped, so
 * the log still shows the shape of the request.
 */
export function redactJson(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => redactJson(item, parentKey));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const secret =
      (SECRET_KEY.test(key) || (key === "id" && TOKEN_CONTAINER.test(parentKey))) &&
      (typeof inner === "string" || typeof inner === "number");
    out[key] = secret ? REDACTED : redactJson(inner, key);
  }
  return out;
}

/** The URL with the values of secret-looking query parameters (and any userinfo) replaced. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password) parsed.password = REDACTED;
  if (parsed.search === "") return parsed.href;
  const params = [...new URLSearchParams(parsed.search)];
  if (!params.some(([name]) => SECRET_KEY.test(name))) return parsed.href;
  // Rebuilt in order so that the redacted URL still reads like the original.
  parsed.search = new URLSearchParams(
    params.map(([name, value]): [string, string] => [name, SECRET_KEY.test(name) ? REDACTED : value]),
  ).toString();
  return parsed.href;
}

/**
 * Redacts a text body that may be JSON (keystone auth bodies are): parsed, redacted and
 * re-serialized when it parses, else returned truncated as is.
 */
export function redactText(text: string, maxLength = 4096): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return truncate(JSON.stringify(redactJson(JSON.parse(text))), maxLength);
    } catch {
      // Not JSON after all: fall through and log the raw text.
    }
  }
  return truncate(text, maxLength);
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}... (${text.length} chars)`;
}

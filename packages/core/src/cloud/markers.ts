/**
 * The marks oaktree writes on the objects a createServer makes, so that any replica, after any
 * restart, can tell them apart from everybody else's and find the ones of one client token.
 * Every mark rides in the create call's own body (server metadata, a floating IP's
 * description, volume metadata): marking costs no request. See docs/decisions/0024.
 */
import { createHash } from "node:crypto";

/** Server and volume metadata key: when oaktree created the object (ISO 8601, UTC). */
export const MANAGED_METADATA_KEY = "oaktree_managed";

/** Volume metadata key: the client token's hash (see {@link tokenHash}). */
export const TOKEN_HASH_METADATA_KEY = "oaktree_token_hash";

/** How every floating-IP description oaktree writes starts (also the whole mark of old versions). */
export const FLOATING_IP_MARK_PREFIX = "oaktree:managed";

/**
 * A client token's short, stable digest (16 hex digits of its SHA-256): what oaktree writes
 * where others can read it (a description), so the token itself, which a caller may treat as
 * a secret, is not published.
 */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** Server metadata oaktree adds to every server it boots (beside the client token, if any). */
export function serverMarker(now: Date = new Date()): Record<string, string> {
  return { [MANAGED_METADATA_KEY]: now.toISOString() };
}

/** Volume metadata oaktree adds to every volume it makes for a boot. */
export function volumeMarker(token: string | undefined, now: Date = new Date()): Record<string, string> {
  return {
    [MANAGED_METADATA_KEY]: now.toISOString(),
    ...(token !== undefined && { [TOKEN_HASH_METADATA_KEY]: tokenHash(token) }),
  };
}

/**
 * A floating IP's description: `oaktree:managed token=<hash> at=<ISO time>` (no `token=` part
 * when the create had no client token). Neutron's description is on every release and accepted
 * in the POST, unlike tags on create; 255 characters is plenty.
 */
export function floatingIpDescription(token: string | undefined, now: Date = new Date()): string {
  const parts = [FLOATING_IP_MARK_PREFIX];
  if (token !== undefined) parts.push(`token=${tokenHash(token)}`);
  parts.push(`at=${now.toISOString()}`);
  return parts.join(" ");
}

/** What a floating-IP description says, when oaktree wrote it; undefined for anybody else's. */
export function parseFloatingIpMark(
  description: string | undefined,
): { readonly tokenHash?: string; readonly at?: string } | undefined {
  if (description === undefined) return undefined;
  if (description !== FLOATING_IP_MARK_PREFIX && !description.startsWith(`${FLOATING_IP_MARK_PREFIX} `)) {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const part of description.slice(FLOATING_IP_MARK_PREFIX.length).trim().split(/\s+/)) {
    const at = part.indexOf("=");
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const hash = fields.get("token");
  const time = fields.get("at");
  return { ...(hash !== undefined && { tokenHash: hash }), ...(time !== undefined && { at: time }) };
}

/** Did oaktree create this floating IP (its description carries oaktree's mark)? */
export function isOaktreeFloatingIp(ip: { readonly description?: string }): boolean {
  return parseFloatingIpMark(ip.description) !== undefined;
}

/** Does this floating-IP description carry oaktree's mark for `token`? */
export function floatingIpDescriptionMatches(description: string | undefined, token: string): boolean {
  return parseFloatingIpMark(description)?.tokenHash === tokenHash(token);
}

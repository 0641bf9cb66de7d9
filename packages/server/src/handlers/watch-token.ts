import { invalidArgument } from "../errors.js";

/** What a watch's resume token holds: opaque to clients, checked on the way back in. */
export interface ResumePoint {
  /** The hub instance that numbered the events (another process or a restarted hub: replay impossible). */
  readonly epoch: string;
  /** The last event the client saw. */
  readonly seq: number;
  /** The resource kind watched, e.g. "servers". */
  readonly kind: string;
  /** `cloud/region/project` watched. */
  readonly scope: string;
}

const VERSION = "v1";

/** A resume point as the opaque string clients hold (base64url, no padding). */
export function encodeResumeToken(point: ResumePoint): string {
  const text = [VERSION, point.epoch, String(point.seq), point.kind, point.scope].join("\n");
  return Buffer.from(text, "utf8").toString("base64url");
}

/**
 * The resume point a token names, for a watch of `kind`; INVALID_ARGUMENT naming
 * `resume_token` for a token oaktree did not make or made for another kind of watch. (Whether
 * its location matches is checked once the location is resolved: {@link checkScope}.)
 */
export function decodeResumeToken(token: string, kind: string): ResumePoint {
  const parts = /^[A-Za-z0-9_-]+$/.test(token)
    ? Buffer.from(token, "base64url").toString("utf8").split("\n")
    : [];
  const [version, epoch, seq, tokenKind, scope] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    !epoch ||
    !seq ||
    !/^\d{1,15}$/.test(seq) ||
    !tokenKind ||
    !scope
  ) {
    throw invalidArgument("resume_token", "not a resume token oaktree sent (pass back a token unchanged)");
  }
  if (tokenKind !== kind) {
    throw invalidArgument("resume_token", `a token of a ${tokenKind} watch, not of a ${kind} watch`);
  }
  return { epoch, seq: Number(seq), kind: tokenKind, scope };
}

/** INVALID_ARGUMENT naming `resume_token` when the token was made for another location. */
export function checkScope(point: ResumePoint, scope: string): void {
  if (point.scope !== scope) {
    throw invalidArgument("resume_token", `a token of a watch in ${point.scope}, not in ${scope}`);
  }
}

import type { KeypairWire } from "../services/compute/v2/keypairs/wire.js";
import { isoTime } from "../timestamps.js";
import { type Location, locationOf, type NormalizeContext } from "./location.js";
import { restOf } from "./model-helpers.js";

/** A nova keypair. Its name is its id (nova's numeric id is internal). */
export interface Keypair {
  readonly location: Location;
  readonly id: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  /** Only right after nova generated the key (before compute 2.92). */
  readonly privateKey?: string;
  /** "ssh" (the default before 2.2) or "x509". */
  readonly type: string;
  readonly userId?: string;
  readonly createdAt?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const CONSUMED = new Set([
  "name",
  "fingerprint",
  "public_key",
  "private_key",
  "type",
  "user_id",
  "created_at",
]);

/** Normalizes a keypair (list entries already unwrapped by the binding). */
export function normalizeKeypair(wire: KeypairWire, ctx: NormalizeContext): Keypair {
  const createdAt = isoTime(wire.created_at);
  return {
    location: locationOf(ctx),
    id: wire.name,
    name: wire.name,
    fingerprint: wire.fingerprint,
    publicKey: wire.public_key,
    ...(wire.private_key !== undefined && { privateKey: wire.private_key }),
    type: wire.type ?? "ssh",
    ...(wire.user_id !== undefined && { userId: wire.user_id }),
    ...(createdAt !== undefined && { createdAt }),
    properties: restOf(wire, CONSUMED),
  };
}

import { generateKeyPairSync } from "node:crypto";
import { ValidationError } from "../errors.js";
import { NotFoundError } from "../http/errors.js";
import { type Keypair, normalizeKeypair } from "../models/keypair.js";
import { signalOf } from "../services/call-options.js";
import {
  createKeypair as createKeypairWire,
  deleteKeypair as deleteKeypairWire,
  getKeypair as getKeypairWire,
  listKeypairs as listKeypairsWire,
} from "../services/compute/v2/keypairs/requests.js";
import { supportsMicroversion } from "../services/microversion.js";
import type { CloudContext } from "./context.js";
import { applyFilters, type FilterOptions, ResourceNotFoundError } from "./find.js";

/** Options every keypair call takes. */
export interface KeypairCallOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link createKeypair}. */
export interface CreateKeypairOptions extends KeypairCallOptions {
  readonly name: string;
  /** An OpenSSH public key to import. Without it a key pair is generated (see createKeypair). */
  readonly publicKey?: string;
}

/** Keypairs are per user: every keypair of the caller, with optional filters. */
export async function listKeypairs(
  ctx: CloudContext,
  options: FilterOptions & KeypairCallOptions = {},
): Promise<Keypair[]> {
  const compute = await ctx.client("compute", options.signal);
  const normalize = await ctx.normalizeContext();
  const keypairs: Keypair[] = [];
  for await (const wire of listKeypairsWire(compute, {}, signalOf(options)))
    keypairs.push(normalizeKeypair(wire, normalize));
  return applyFilters(keypairs, options.filters);
}

/** The cache kind of keypairs (clouds.yaml `cache.expiration.keypair`, default 300 s). */
export const KEYPAIR_CACHE_KIND = "keypair";

/**
 * The keypair named `name` (a keypair's name is its id), or undefined. Keypairs never change,
 * so the answer is cached (kind `keypair`, per user) and shared by concurrent lookups; a
 * missing one is looked up again once, so a keypair made since is found.
 */
export async function findKeypair(
  ctx: CloudContext,
  name: string,
  options: KeypairCallOptions = {},
): Promise<Keypair | undefined> {
  requireName(name);
  const load = async (): Promise<Keypair[]> => {
    const compute = await ctx.client("compute");
    try {
      return [normalizeKeypair(await getKeypairWire(compute, name, {}), await ctx.normalizeContext())];
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
  };
  return ctx.cache.find(KEYPAIR_CACHE_KIND, await keypairKey(ctx, name), load, ([found]) => found, options);
}

/** Keypairs belong to users, not projects: the cache key names the user. */
async function keypairKey(ctx: CloudContext, name: string): Promise<string> {
  const user = (await ctx.connection.token()).user;
  return `${user.id ?? user.name ?? "unknown"}/${name}`;
}

/** Like {@link findKeypair}; a missing keypair is a ResourceNotFoundError. */
export async function getKeypair(
  ctx: CloudContext,
  name: string,
  options: KeypairCallOptions = {},
): Promise<Keypair> {
  const keypair = await findKeypair(ctx, name, options);
  if (!keypair) throw new ResourceNotFoundError("keypair", name);
  return keypair;
}

/**
 * Creates a keypair. With `publicKey` nova imports it. Without one the result carries the new
 * private key (`privateKey`, PEM), returned once and never stored by oaktree:
 * NOTE: nova generates the pair itself before compute 2.92; from 2.92 on it refuses to, so
 * oaktree generates an RSA 3072 pair locally and imports its public half (same result).
 */
export async function createKeypair(ctx: CloudContext, options: CreateKeypairOptions): Promise<Keypair> {
  requireName(options.name);
  if (options.publicKey !== undefined && !/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(options.publicKey.trim())) {
    throw new ValidationError("publicKey", 'must be an OpenSSH public key ("ssh-ed25519 AAAA...")');
  }
  const compute = await ctx.client("compute", options.signal);
  checkKeypairName(options.name, supportsMicroversion(compute, "2.92"));
  let publicKey = options.publicKey?.trim();
  let privateKey: string | undefined;
  if (publicKey === undefined && supportsMicroversion(compute, "2.92")) {
    ({ publicKey, privateKey } = generateRsaKeypair());
  }
  const wire = await createKeypairWire(
    compute,
    { name: options.name, ...(publicKey !== undefined && { publicKey }) },
    signalOf(options),
  );
  await ctx.cache.invalidate(KEYPAIR_CACHE_KIND);
  const keypair = normalizeKeypair(wire, await ctx.normalizeContext());
  return privateKey !== undefined ? { ...keypair, privateKey } : keypair;
}

/** Deletes a keypair; true when it existed, false when it was already gone. */
export async function deleteKeypair(
  ctx: CloudContext,
  name: string,
  options: KeypairCallOptions = {},
): Promise<boolean> {
  requireName(name);
  const compute = await ctx.client("compute", options.signal);
  try {
    await deleteKeypairWire(compute, name, {}, signalOf(options));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  } finally {
    await ctx.cache.invalidate(KEYPAIR_CACHE_KIND);
  }
}

/** An RSA pair: the public key in OpenSSH format, the private key as PKCS#1 PEM (ssh reads it). */
export function generateRsaKeypair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 3072 });
  const jwk = publicKey.export({ format: "jwk" });
  const blob = Buffer.concat([
    sshString(Buffer.from("ssh-rsa")),
    sshString(mpint(Buffer.from(jwk.e as string, "base64url"))),
    sshString(mpint(Buffer.from(jwk.n as string, "base64url"))),
  ]);
  return {
    publicKey: `ssh-rsa ${blob.toString("base64")} oaktree`,
    privateKey: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
  };
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the top bit is set. */
function mpint(bytes: Buffer): Buffer {
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * NOTE: nova (all versions) refuses a keypair name outside letters, digits, space, `_` and `-`
 * ("Keypair name contains unsafe characters", a 400 naming no field); microversion 2.92 adds
 * `.` and `@`. Names are 1-255 characters.
 */
function checkKeypairName(name: string, since292: boolean): void {
  const allowed = since292 ? /^[A-Za-z0-9 _.@-]{1,255}$/ : /^[A-Za-z0-9 _-]{1,255}$/;
  if (!allowed.test(name)) {
    throw new ValidationError(
      "name",
      `a keypair name is 1-255 letters, digits, spaces, "_" or "-"${since292 ? ', "." or "@"' : ""}`,
    );
  }
}

function requireName(name: string): void {
  if (typeof name !== "string" || name.trim() === "")
    throw new ValidationError("name", "must be a non-empty string");
}

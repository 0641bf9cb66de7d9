import { ValidationError } from "../../../../errors.js";
import { linksStrategy, paginate } from "../../../../http/paginate.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireMicroversion, requireMicroversionBelow } from "../../../microversion.js";
import { compact, type QueryNames, queryOf, requireId, requirePositiveInteger } from "../../../query.js";
import { keypairPath, keypairsPath } from "./urls.js";
import type { KeypairWire } from "./wire.js";

/** Filters and paging of GET /os-keypairs. */
export interface ListKeypairsOptions {
  /** Admins: another user's keypairs; 2.10. */
  readonly userId?: string;
  /** 2.35 */
  readonly limit?: number;
  /** A keypair name; 2.35 */
  readonly marker?: string;
}

const LIST_QUERY: QueryNames<ListKeypairsOptions> = { userId: "user_id", limit: "limit", marker: "marker" };

/** GET /os-keypairs, unwrapping nova's `{"keypair": ...}` entries, page after page (2.35). */
export async function* listKeypairs(
  client: ServiceClient,
  options: ListKeypairsOptions = {},
  call: CallOptions = {},
): AsyncGenerator<KeypairWire, void, undefined> {
  if (options.userId !== undefined) requireMicroversion(client, "2.10", "userId");
  if (options.limit !== undefined || options.marker !== undefined)
    requireMicroversion(client, "2.35", "keypair paging");
  requirePositiveInteger("limit", options.limit);
  const query = queryOf(options, LIST_QUERY);
  const entries = paginate<{ keypair: KeypairWire }>(
    client,
    { method: "GET", path: keypairsPath(), query, okStatus: [200], ...callFields(call) },
    linksStrategy("keypairs"),
  );
  for await (const entry of entries) yield entry.keypair;
}

/** GET /os-keypairs/{name}. */
export async function getKeypair(
  client: ServiceClient,
  name: string,
  options: { readonly userId?: string } = {},
  call: CallOptions = {},
): Promise<KeypairWire> {
  requireId("name", name);
  if (options.userId !== undefined) requireMicroversion(client, "2.10", "userId");
  const response = await client.request({
    method: "GET",
    path: keypairPath(name),
    query: queryOf(options, { userId: "user_id" }),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<{ keypair: KeypairWire }>().keypair;
}

/** What POST /os-keypairs takes. */
export interface CreateKeypairOptions {
  readonly name: string;
  /** Imports this key; without it nova generates one and returns its private key (before 2.92). */
  readonly publicKey?: string;
  /** "ssh" or "x509"; 2.2 */
  readonly type?: "ssh" | "x509";
  /** Admins: create for another user; 2.10 */
  readonly userId?: string;
}

/**
 * POST /os-keypairs: imports or generates a keypair.
 * NOTE: compute 2.92 removed key generation (publicKey is then required).
 */
export async function createKeypair(
  client: ServiceClient,
  options: CreateKeypairOptions,
  call: CallOptions = {},
): Promise<KeypairWire> {
  requireId("name", options.name);
  if (options.publicKey !== undefined) requireId("publicKey", options.publicKey);
  if (options.type !== undefined) {
    requireMicroversion(client, "2.2", "type");
    if (options.type !== "ssh" && options.type !== "x509")
      throw new ValidationError("type", 'must be "ssh" or "x509"');
  }
  if (options.userId !== undefined) requireMicroversion(client, "2.10", "userId");
  if (options.publicKey === undefined)
    requireMicroversionBelow(client, "2.92", "generating a keypair (no publicKey)");
  const keypair = compact({
    name: options.name,
    public_key: options.publicKey,
    type: options.type,
    user_id: options.userId,
  });
  // NOTE: nova answers 200 before 2.2 and 201 from 2.2 on.
  const response = await client.request({
    method: "POST",
    path: keypairsPath(),
    json: { keypair },
    okStatus: [200, 201],
    ...callFields(call),
  });
  return response.json<{ keypair: KeypairWire }>().keypair;
}

/** DELETE /os-keypairs/{name}. NOTE: nova answers 202 before 2.2 and 204 from 2.2 on. */
export async function deleteKeypair(
  client: ServiceClient,
  name: string,
  options: { readonly userId?: string } = {},
  call: CallOptions = {},
): Promise<void> {
  requireId("name", name);
  if (options.userId !== undefined) requireMicroversion(client, "2.10", "userId");
  await client.request({
    method: "DELETE",
    path: keypairPath(name),
    query: queryOf(options, { userId: "user_id" }),
    okStatus: [202, 204],
    ...callFields(call),
  });
}

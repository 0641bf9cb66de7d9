import { createHash } from "node:crypto";
import { SimError } from "../../core/errors.js";
import type { SimContext } from "../../core/service.js";

/** The bytes of a request body with the digests clients compare (md5 for ETags, sha512 for glance). */
export interface ReadBody {
  readonly bytes: Uint8Array;
  readonly md5: string;
  readonly sha512: string;
}

/** One GiB: the default cap of an uploaded body (objects, image data). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a request body chunk by chunk, hashing as it goes, and fails with a 413 as soon as it grows
 * past `maxBytes` (so a runaway upload never fills the memory). `onChunk` sees the running size.
 */
export async function readBodyCapped(
  c: SimContext,
  maxBytes: number,
  onChunk?: (size: number) => void,
): Promise<ReadBody> {
  const md5 = createHash("md5");
  const sha512 = createHash("sha512");
  const chunks: Uint8Array[] = [];
  let size = 0;
  const body = c.req.raw.body;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new SimError(
          413,
          `Request entity too large: the upload exceeds the limit of ${maxBytes} bytes.`,
        );
      }
      md5.update(value);
      sha512.update(value);
      chunks.push(value);
      onChunk?.(size);
    }
  }
  return { bytes: concat(chunks, size), md5: md5.digest("hex"), sha512: sha512.digest("hex") };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

/** Digests of bytes already in memory. */
export function digest(bytes: Uint8Array): { md5: string; sha512: string } {
  return {
    md5: createHash("md5").update(bytes).digest("hex"),
    sha512: createHash("sha512").update(bytes).digest("hex"),
  };
}

/** Stored bytes as a response body (records hold `Uint8Array<ArrayBufferLike>`; hono wants an ArrayBuffer view). */
export function bodyOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

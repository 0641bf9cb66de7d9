import type { World } from "../../core/world.js";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";

/** One stored object. */
export interface SwiftObject {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** md5 of the bytes, the object's ETag. */
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: number;
  readonly metadata: Record<string, string>;
}

/** One container: objects by name, plus its metadata. */
export interface SwiftContainer {
  readonly name: string;
  readonly created: number;
  lastModified: number;
  readonly objects: Map<string, SwiftObject>;
  metadata: Record<string, string>;
}

/** The object store of a world: account (`AUTH_<project_id>`) -> container name -> container. */
export interface SwiftStore {
  readonly accounts: Map<string, Map<string, SwiftContainer>>;
  /** Largest object body accepted (413 beyond), default 1 GiB. */
  maxObjectBytes: number;
}

/** The world's object store (created on first use). */
export function swiftStore(world: World): SwiftStore {
  return world.state<SwiftStore>("object-store", () => ({
    accounts: new Map(),
    maxObjectBytes: DEFAULT_MAX_BODY_BYTES,
  }));
}

/** The containers of a project's account (created on first use, as swift auto-creates accounts). */
export function accountOf(world: World, projectId: string): Map<string, SwiftContainer> {
  const store = swiftStore(world);
  let acct = store.accounts.get(projectId);
  if (!acct) {
    acct = new Map();
    store.accounts.set(projectId, acct);
  }
  return acct;
}

/**
 * An object of a project's account by `container/object` path (glance task import's `import_from`),
 * or undefined when the container or object does not exist.
 */
export function findObject(world: World, projectId: string, path: string): SwiftObject | undefined {
  const slash = path.replace(/^\/+/, "").indexOf("/");
  if (slash <= 0) return undefined;
  const p = path.replace(/^\/+/, "");
  return accountOf(world, projectId)
    .get(p.slice(0, slash))
    ?.objects.get(p.slice(slash + 1));
}

/** Bytes used by a container's objects. */
export function bytesOf(container: SwiftContainer): number {
  let n = 0;
  for (const o of container.objects.values()) n += o.bytes.byteLength;
  return n;
}

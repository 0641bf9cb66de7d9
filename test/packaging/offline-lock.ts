import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** One `packages` entry of a package-lock.json (lockfileVersion 3), the fields this file reads. */
interface LockEntry {
  readonly version?: string;
  readonly link?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [field: string]: unknown;
}

/** A packed workspace package: its package.json and the path of its tarball. */
export interface PackedPackage {
  readonly manifest: { name: string; version: string; dependencies?: Record<string, string> } & Record<
    string,
    unknown
  >;
  readonly tarball: string;
}

/**
 * The package-lock.json of a project that depends on the packed tarballs only, with every
 * third-party package at the version (and integrity) the repository's lock pins. `npm ci` resolves
 * registry packages by their packument, which the npm cache does not hold after the repository's
 * own `npm ci` (that one reads versions from its lock and fetches tarballs only); with this lock,
 * `npm ci --offline` needs nothing but those cached tarballs, so the install runs without network.
 */
export function offlineLock(
  repoLock: { packages: Record<string, LockEntry> },
  workspaces: readonly { dir: string; packed: PackedPackage }[],
  tarballDir: string,
): { packageJson: object; lock: object } {
  const packages: Record<string, object> = {};
  const own = new Set(workspaces.map((w) => w.packed.manifest.name));
  const rootDependencies: Record<string, string> = {};

  // Where Node would find `name` from a lock path, as the repository's lock lays node_modules out.
  const locate = (from: string, name: string): string | undefined => {
    for (let dir = from; ; ) {
      const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (repoLock.packages[candidate]) return candidate;
      if (!dir) return undefined;
      const parent = dir.lastIndexOf("/node_modules/");
      dir = parent === -1 ? "" : dir.slice(0, parent);
    }
  };
  // Lock paths inside a workspace directory sit under node_modules/@oaktree/<name> once installed.
  const installedPath = (lockPath: string): string => {
    for (const { dir, packed } of workspaces) {
      if (lockPath.startsWith(`${dir}/`))
        return `node_modules/${packed.manifest.name}${lockPath.slice(dir.length)}`;
    }
    return lockPath;
  };
  const visit = (from: string, dependencies: Record<string, string>, optional: ReadonlySet<string>) => {
    for (const name of Object.keys(dependencies)) {
      if (own.has(name)) continue;
      const path = locate(from, name);
      if (path === undefined) {
        if (optional.has(name)) continue;
        throw new Error(`package-lock.json has no entry for ${name} (needed from ${from || "the root"})`);
      }
      const target = installedPath(path);
      if (packages[target]) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repoLock.packages[path]!;
      packages[target] = entry;
      const peerOptional = new Set(
        Object.entries(entry.peerDependenciesMeta ?? {})
          .filter(([, meta]) => meta.optional)
          .map(([peer]) => peer),
      );
      const optionalDeps = new Set([...Object.keys(entry.optionalDependencies ?? {}), ...peerOptional]);
      visit(
        path,
        { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies },
        optionalDeps,
      );
    }
  };

  for (const { dir, packed } of workspaces) {
    const spec = `file:${tarballDir}/${basename(packed.tarball)}`;
    rootDependencies[packed.manifest.name] = spec;
    const { name: _name, scripts: _scripts, files: _files, exports: _exports, ...rest } = packed.manifest;
    packages[`node_modules/${packed.manifest.name}`] = {
      version: packed.manifest.version,
      resolved: spec,
      integrity: `sha512-${createHash("sha512").update(readFileSync(packed.tarball)).digest("base64")}`,
      ...pick(rest, ["license", "dependencies", "engines", "bin"]),
    };
    visit(dir, packed.manifest.dependencies ?? {}, new Set());
  }
  const packageJson = {
    name: "oaktree-install-check",
    private: true,
    type: "module",
    dependencies: rootDependencies,
  };
  const lock = {
    name: packageJson.name,
    lockfileVersion: 3,
    requires: true,
    packages: { "": { name: packageJson.name, dependencies: rootDependencies }, ...packages },
  };
  return { packageJson, lock };
}

function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

import { readFile as readFileAsync } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { isPair, isScalar, parseDocument, type Tags, visit } from "yaml";
import { ConfigError, type OriginKind } from "./errors.js";

/** The environment as a plain object (process.env, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** One configuration file, already read. */
export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

/** The files the configuration comes from: at most one of each kind, as found by the search. */
export interface ConfigSources {
  readonly clouds?: ConfigFile;
  readonly secure?: ConfigFile;
  /** `clouds-public.yaml`: the user's own vendor profiles under `public-clouds:`. */
  readonly publicClouds?: ConfigFile;
  /** The paths that were looked at for clouds.yaml, for "no such cloud" messages. */
  readonly searched?: readonly string[];
}

/** Candidate paths, in search order; the first that exists wins. */
export interface ConfigFileCandidates {
  readonly clouds: readonly string[];
  readonly secure: readonly string[];
  readonly publicClouds: readonly string[];
}

/** Reads a file synchronously; returns undefined when it does not exist (or is unreadable). */
export type FileReader = (path: string) => string | undefined;

const SUFFIXES = [".yaml", ".yml", ".json"];

/**
 * Where clouds.yaml, secure.yaml and clouds-public.yaml are looked for, in order, as
 * openstacksdk does: `OS_CLIENT_CONFIG_FILE` (`OS_CLIENT_SECURE_FILE` for secure.yaml) first,
 * then the current directory, `$XDG_CONFIG_HOME/openstack` (when set), `~/.config/openstack`
 * and `/etc/openstack`, each with the suffixes .yaml, .yml and .json.
 */
export function findConfigFiles(env: Env, cwd: string, home: string): ConfigFileCandidates {
  const dirs = [cwd];
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && xdg !== "") dirs.push(join(xdg, "openstack"));
  dirs.push(join(home, ".config", "openstack"), "/etc/openstack");
  const unique = [...new Set(dirs)];
  const candidates = (base: string, override: string | undefined): string[] => {
    const list = unique.flatMap((dir) => SUFFIXES.map((suffix) => join(dir, base + suffix)));
    return override !== undefined && override !== "" ? [override, ...list] : list;
  };
  return {
    clouds: candidates("clouds", env.OS_CLIENT_CONFIG_FILE),
    secure: candidates("secure", env.OS_CLIENT_SECURE_FILE),
    publicClouds: candidates("clouds-public", undefined),
  };
}

function firstExisting(paths: readonly string[], read: FileReader): ConfigFile | undefined {
  for (const path of paths) {
    const text = read(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Finds and reads the configuration files with a caller-supplied reader (tests pass an in-memory one). */
export function readConfigSources(read: FileReader, env: Env, cwd: string, home: string): ConfigSources {
  const candidates = findConfigFiles(env, cwd, home);
  return {
    clouds: firstExisting(candidates.clouds, read),
    secure: firstExisting(candidates.secure, read),
    publicClouds: firstExisting(candidates.publicClouds, read),
    searched: candidates.clouds,
  };
}

/** Where to search on disk; defaults are the real process's. */
export interface DiskSearchOptions {
  readonly env?: Env;
  readonly cwd?: string;
  readonly home?: string;
}

/**
 * Finds and reads the configuration files from disk. Missing, unreadable files and directories
 * are skipped (as openstacksdk does), so the next candidate is tried.
 */
export async function readConfigSourcesFromDisk(options: DiskSearchOptions = {}): Promise<ConfigSources> {
  const env = options.env ?? process.env;
  const candidates = findConfigFiles(env, options.cwd ?? process.cwd(), options.home ?? homedir());
  const first = async (paths: readonly string[]): Promise<ConfigFile | undefined> => {
    for (const path of paths) {
      try {
        return { path, text: await readFileAsync(path, "utf8") };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR") continue;
        throw error;
      }
    }
    return undefined;
  };
  return {
    clouds: await first(candidates.clouds),
    secure: await first(candidates.secure),
    publicClouds: await first(candidates.publicClouds),
    searched: candidates.clouds,
  };
}

/** The first line of a yaml error message, without its " at line N, column M:" tail. */
function yamlProblem(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

const BOOL_TAG = "tag:yaml.org,2002:bool";

/**
 * YAML 1.1 booleans exactly as PyYAML (openstacksdk) reads them: yes/no/true/false/on/off in
 * three casings. The yaml package's 1.1 schema also takes y/n, which would turn
 * `username: n` into false.
 */
function pyyamlBooleans(tags: Tags): Tags {
  const bool = (value: boolean, test: RegExp) => ({
    tag: BOOL_TAG,
    default: true,
    test,
    resolve: () => value,
  });
  return [
    ...tags.filter((tag) => typeof tag === "string" || tag.tag !== BOOL_TAG),
    bool(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/),
    bool(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/),
  ];
}

function lineOfOffset(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/**
 * Parses a configuration file: JSON when the name ends in .json, else YAML 1.1 (what PyYAML
 * reads, so `verify: no` is false as it is for openstacksdk). Version keys keep their text
 * (`identity_api_version: 2.0` stays "2.0", not 2). Fails with the line number.
 */
export function parseConfigFile(file: ConfigFile, kind: OriginKind): Record<string, unknown> {
  const origin = { kind, path: file.path };
  let data: unknown;
  if (file.path.endsWith(".json")) {
    try {
      data = JSON.parse(file.text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message)?.[1];
      const line = position === undefined ? "" : `line ${lineOfOffset(file.text, Number(position))}: `;
      throw new ConfigError({ origin, problem: `${line}not valid JSON: ${message.split("\n")[0]}` });
    }
  } else {
    // NOTE: PyYAML (openstacksdk) takes the last of duplicate keys; so do we, so existing files load.
    const doc = parseDocument(file.text, {
      version: "1.1",
      customTags: pyyamlBooleans,
      uniqueKeys: false,
      prettyErrors: true,
    });
    const problem = doc.errors[0];
    if (problem !== undefined) {
      const line = problem.linePos?.[0]?.line;
      throw new ConfigError({
        origin,
        problem: `${line === undefined ? "" : `line ${line}: `}not valid YAML: ${yamlProblem(problem.message)}`,
      });
    }
    visit(doc, {
      Pair(_, pair) {
        if (
          isPair(pair) &&
          isScalar(pair.key) &&
          String(pair.key.value).endsWith("api_version") &&
          isScalar(pair.value) &&
          typeof pair.value.value === "number" &&
          pair.value.source !== undefined
        ) {
          pair.value.value = pair.value.source;
        }
      },
    });
    data = doc.toJS();
  }
  if (data === null || data === undefined) {
    throw new ConfigError({ origin, problem: "the file is empty (it needs a clouds: mapping)" });
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError({ origin, problem: "the file is not a mapping (it needs a clouds: mapping)" });
  }
  return data as Record<string, unknown>;
}

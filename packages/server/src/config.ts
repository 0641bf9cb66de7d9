import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { basename } from "node:path";
import { OaktreeError } from "@oaktree/core";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DEFAULT_VALIDATION_TTL_MS } from "./auth/caller-auth.js";
import type { AuthMode } from "./clouds.js";
import { type ListenerLimits, limitsFileSchema, resolveLimits } from "./limits.js";
import { LOG_LEVELS, type LogLevel } from "./logging.js";
import { DEFAULT_RECOVERY, type RecoverySettings } from "./recovery/reclaimer.js";
import { resolveStateSettings, type StateSettings, stateFileSchema } from "./state/settings.js";

/** The server config's `auth:` values (and `--auth`'s). */
export const AUTH_MODES = ["personal", "deployer"] as const satisfies readonly AuthMode[];

/** The original oaktree's port (2016-2017), kept: clients of the 2017 API find the server where it was. */
export const DEFAULT_GRPC_LISTEN = "127.0.0.1:50051";
/** The Connect/JSON, gRPC-Web, `/metrics` and `/healthz` listener: the next port. */
export const DEFAULT_HTTP_LISTEN = "127.0.0.1:50052";
/** How long unary calls may run on after SIGTERM before they are aborted too. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** A mistake in the server config or flags: one line naming the file (or flag) and the key. */
export class ServerConfigError extends OaktreeError {
  override readonly name = "ServerConfigError";
}

const hostPort = z.string().refine((value) => parseHostPort(value) !== undefined, "expected HOST:PORT");
const positiveInt = z.number().int().positive();
const seconds = z.number().nonnegative();

/** The server config file (YAML): every key optional; docs/server.md lists them with defaults. */
const fileSchema = z.strictObject({
  listen: z
    .strictObject({
      grpc: hostPort.optional(),
      /** `false` turns the HTTP listener off. */
      http: z.union([hostPort, z.literal(false)]).optional(),
    })
    .optional(),
  tls: z
    .strictObject({
      cert: z.string().min(1),
      key: z.string().min(1),
      client_ca: z.string().min(1).optional(),
    })
    .optional(),
  clouds: z
    .strictObject({ default: z.string().min(1).optional(), config_file: z.string().min(1).optional() })
    .optional(),
  cache: z
    .strictObject({
      expiration_time: seconds.optional(),
      expiration: z.record(z.string(), seconds).optional(),
    })
    .optional(),
  watch: z
    .strictObject({ poll_interval_ms: positiveInt.optional(), reconcile_every_ms: positiveInt.optional() })
    .optional(),
  rate_limits: z
    .record(
      z.string(),
      z.strictObject({
        requests_per_second: z.number().positive().optional(),
        max_concurrency: positiveInt.optional(),
      }),
    )
    .optional(),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).optional() }).optional(),
  shutdown: z.strictObject({ grace_ms: z.number().int().nonnegative().optional() }).optional(),
  /** `personal` (clouds.yaml credentials) or `deployer` (each caller's own), or the mapping form. */
  auth: z
    .union([
      z.enum(AUTH_MODES),
      z.strictObject({ mode: z.enum(AUTH_MODES), validation_ttl_seconds: seconds.optional() }),
    ])
    .optional(),
  /** Message sizes, streams per connection and timeouts of both listeners (limits.ts). */
  limits: limitsFileSchema.optional(),
  /** Restart recovery's reclaimer (docs/deployment.md, "Restart recovery"); interval 0: off. */
  recovery: z
    .strictObject({ grace_seconds: seconds.optional(), interval_seconds: seconds.optional() })
    .optional(),
  /** The web console at `/` of the HTTP listener (docs/console.md). */
  console: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  /** Shared state: `memory` (default) or `{backend: redis, url, key_prefix}` (docs/deployment.md). */
  state: stateFileSchema.optional(),
});

/** The server config file as written (snake_case keys). */
export type ServerConfigFile = z.infer<typeof fileSchema>;

/** A listen address. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Command-line flags; each overrides the file's key. */
export interface ServerFlags {
  /** `--listen`: the gRPC listener. */
  readonly listen?: string;
  /** `--http-listen`: the HTTP listener, or "off". */
  readonly httpListen?: string;
  readonly logLevel?: string;
  /** `--auth`: personal or deployer. */
  readonly auth?: string;
  /** `--state`: memory or redis://HOST:PORT. */
  readonly state?: string;
}

/** Everything `oaktree serve` needs, defaults applied, validated. */
export interface ServerSettings {
  readonly grpc: ListenAddress;
  /** Undefined: no HTTP listener. */
  readonly http?: ListenAddress;
  /** Paths of PEM files. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly clientCa?: string };
  readonly defaultCloud?: string;
  /** clouds.yaml to read instead of the usual places (OS_CLIENT_CONFIG_FILE's role). */
  readonly cloudsFile?: string;
  /** Cache TTLs in seconds, over every cloud's clouds.yaml `cache:` (see docs/server.md). */
  readonly cache?: {
    readonly expirationTime?: number;
    readonly expiration?: Readonly<Record<string, number>>;
  };
  readonly watch: { readonly pollIntervalMs?: number; readonly reconcileEveryMs?: number };
  /** Per service type (or "*"), over every cloud's clouds.yaml `rate_limit`. */
  readonly rateLimits?: Readonly<Record<string, { requestsPerSecond?: number; maxConcurrency?: number }>>;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  /** Whose credentials act on the clouds (docs/deployment.md, "Personal and deployer modes"). */
  readonly auth: {
    readonly mode: AuthMode;
    /** Deployer mode: how long a caller's validated credential is trusted before keystone is asked again. */
    readonly validationTtlMs: number;
  };
  /** The listeners' limits (absent: limits.ts's DEFAULT_LIMITS). */
  readonly limits?: ListenerLimits;
  /** The reclaimer of abandoned creates (recovery/reclaimer.ts); absent: DEFAULT_RECOVERY. */
  readonly recovery?: RecoverySettings;
  /** Serve the web console at `/` of the HTTP listener (default: on in personal mode when that listener is on loopback). */
  readonly console?: boolean;
  /** Where caches, watch leases, client-token records and rate limits live (default memory). */
  readonly state: StateSettings;
}

/** Reads and validates a server config file. */
export async function readServerConfigFile(path: string): Promise<ServerConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ServerConfigError(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseServerConfig(text, basename(path));
}

/** Parses a server config's YAML text; `name` prefixes every error (`server.yaml: listen.grpc: ...`). */
export function parseServerConfig(text: string, name = "server config"): ServerConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ServerConfigError(`${name}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const result = fileSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const key = [path, issue.keys[0]].filter(Boolean).join(".");
    throw new ServerConfigError(`${name}: ${key}: unknown key`);
  }
  throw new ServerConfigError(`${name}: ${path || "(top level)"}: ${issue.message}`);
}

/**
 * The settings from the config file (if any) and the flags (which win), with defaults, and
 * personal mode's rule: a listener on a non-loopback address needs TLS.
 */
export function resolveServerSettings(file: ServerConfigFile = {}, flags: ServerFlags = {}): ServerSettings {
  const grpc =
    flags.listen !== undefined ? flagAddress("--listen", flags.listen) : address(file.listen?.grpc);
  const httpFlag = flags.httpListen;
  const http =
    httpFlag === "off"
      ? undefined
      : httpFlag !== undefined
        ? flagAddress("--http-listen", httpFlag)
        : file.listen?.http === false
          ? undefined
          : address(file.listen?.http ?? DEFAULT_HTTP_LISTEN);
  if (flags.auth !== undefined && !(AUTH_MODES as readonly string[]).includes(flags.auth)) {
    throw new ServerConfigError(`--auth: expected one of ${AUTH_MODES.join(", ")}, got "${flags.auth}"`);
  }
  const auth = typeof file.auth === "string" ? { mode: file.auth } : file.auth;
  const authMode: AuthMode = (flags.auth as AuthMode | undefined) ?? auth?.mode ?? "personal";
  if (flags.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
    throw new ServerConfigError(`--log-level: expected one of ${LOG_LEVELS.join(", ")}`);
  }
  const tls = file.tls && {
    cert: file.tls.cert,
    key: file.tls.key,
    ...(file.tls.client_ca !== undefined && { clientCa: file.tls.client_ca }),
  };
  if (!tls) {
    const listeners = [
      [flags.listen !== undefined ? "--listen" : "listen.grpc", grpc],
      [httpFlag !== undefined ? "--http-listen" : "listen.http", http],
    ] as const;
    for (const [key, at] of listeners) {
      if (at && !isLoopback(at.host)) {
        throw new ServerConfigError(
          `${key}: ${at.host} is not a loopback address: serving beyond this machine needs TLS (tls.cert and tls.key in the server config)`,
        );
      }
    }
  }
  return {
    grpc,
    ...(http && { http }),
    ...(tls && { tls }),
    ...(file.clouds?.default !== undefined && { defaultCloud: file.clouds.default }),
    ...(file.clouds?.config_file !== undefined && { cloudsFile: file.clouds.config_file }),
    ...(file.cache && {
      cache: {
        ...(file.cache.expiration_time !== undefined && { expirationTime: file.cache.expiration_time }),
        ...(file.cache.expiration && { expiration: file.cache.expiration }),
      },
    }),
    watch: {
      ...(file.watch?.poll_interval_ms !== undefined && { pollIntervalMs: file.watch.poll_interval_ms }),
      ...(file.watch?.reconcile_every_ms !== undefined && {
        reconcileEveryMs: file.watch.reconcile_every_ms,
      }),
    },
    ...(file.rate_limits && {
      rateLimits: Object.fromEntries(
        Object.entries(file.rate_limits).map(([service, limit]) => [
          service,
          {
            ...(limit.requests_per_second !== undefined && { requestsPerSecond: limit.requests_per_second }),
            ...(limit.max_concurrency !== undefined && { maxConcurrency: limit.max_concurrency }),
          },
        ]),
      ),
    }),
    logLevel: (flags.logLevel as LogLevel | undefined) ?? file.log?.level ?? "info",
    shutdownGraceMs: file.shutdown?.grace_ms ?? DEFAULT_SHUTDOWN_GRACE_MS,
    auth: {
      mode: authMode,
      validationTtlMs:
        auth?.validation_ttl_seconds !== undefined
          ? auth.validation_ttl_seconds * 1000
          : DEFAULT_VALIDATION_TTL_MS,
    },
    ...(file.limits && { limits: resolveLimits(file.limits) }),
    ...(file.recovery && {
      recovery: {
        graceMs: (file.recovery.grace_seconds ?? DEFAULT_RECOVERY.graceMs / 1000) * 1000,
        intervalMs: (file.recovery.interval_seconds ?? DEFAULT_RECOVERY.intervalMs / 1000) * 1000,
      },
    }),
    // Deployer mode: off unless asked for (the page would invite users to paste credentials).
    console:
      http !== undefined && (file.console?.enabled ?? (authMode === "personal" && isLoopback(http.host))),
    state: resolveStateSettings(file.state, flags.state),
  };
}

/** `HOST:PORT` (IPv6 in brackets: `[::1]:50051`), or undefined when malformed. */
export function parseHostPort(value: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  const host = match[1] ?? (match[2] as string);
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  return { host, port };
}

/** `HOST:PORT` as gRPC and URLs write it. */
export function formatHostPort({ host, port }: ListenAddress): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

function address(value: string = DEFAULT_GRPC_LISTEN): ListenAddress {
  return parseHostPort(value) as ListenAddress; // validated by the schema
}

function flagAddress(flag: string, value: string): ListenAddress {
  const parsed = parseHostPort(value);
  if (!parsed) throw new ServerConfigError(`${flag}: expected HOST:PORT, got "${value}"`);
  return parsed;
}

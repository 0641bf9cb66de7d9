import { readFile } from "node:fs/promises";
import { create, type DescService } from "@bufbuild/protobuf";
import { type Client, createClient, createRouterTransport, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type CloudConfig, type ConfigError, listCloudConfigsFromDisk, OaktreeError } from "@oaktree/core";
import {
  CloudRegistry,
  createHandlers,
  formatHostPort,
  parseHostPort,
  readServerConfigFile,
  resolveServerSettings,
} from "@oaktree/server";
import { type Location, LocationSchema } from "./api.js";
import { UsageError } from "./errors.js";

/** The flags every API command takes: where the service is, and which cloud to ask. */
export interface ClientFlags {
  /** HOST:PORT of a running oaktree (or OAKTREE_SERVER); none: the service runs in this process. */
  readonly server?: string;
  readonly tls?: boolean;
  /** PEM file of the CA that signed the server's certificate (implies TLS). */
  readonly ca?: string;
  /** Client certificate and key, PEM (mutual TLS; implies TLS). */
  readonly cert?: string;
  readonly key?: string;
  readonly cloud?: string;
  readonly region?: string;
}

/** A way to call the oaktree API, in-process or over gRPC. */
export interface Connection {
  /** "in-process" or the server's HOST:PORT. */
  readonly target: string;
  readonly transport: Transport;
  client<S extends DescService>(service: S): Client<S>;
  /** The request `location` from --cloud/--region (or OS_CLOUD/OS_REGION_NAME). */
  location(cloud?: string): Location;
  /**
   * Ends the connection. `abandon`: a call is still running in this process (Ctrl-C during a
   * wait): leave the in-process clouds as they are, so that nothing is cancelled or rolled back.
   */
  close(options?: { readonly abandon?: boolean }): Promise<void>;
}

/** The server address from the flag or OAKTREE_SERVER; undefined means in-process. */
export function serverAddress(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flags.server || env.OAKTREE_SERVER || undefined;
}

/** Opens a connection: to `--server`/OAKTREE_SERVER over gRPC, or to the service started in this process. */
export async function openConnection(
  flags: ClientFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const cloud = flags.cloud || env.OS_CLOUD || "";
  const region = flags.region || env.OS_REGION_NAME || "";
  const location = (override?: string) => create(LocationSchema, { cloud: override ?? cloud, region });
  const address = serverAddress(flags, env);
  if (address !== undefined) {
    const transport = await grpcTransport(address, flags);
    return {
      target: address,
      transport,
      client: (service) => createClient(service, transport),
      location,
      async close() {},
    };
  }
  const clouds = await inProcessClouds(env);
  const transport = createRouterTransport((router) => {
    for (const { service, impl } of createHandlers({ clouds })) router.service(service, impl);
  });
  return {
    target: "in-process",
    transport,
    client: (service) => createClient(service, transport),
    location,
    async close(options) {
      if (!options?.abandon) await clouds.close();
    },
  };
}

/** HTTP/2 gRPC to HOST:PORT; TLS when asked for (--tls, --ca, --cert) or needed (not loopback). */
async function grpcTransport(address: string, flags: ClientFlags): Promise<Transport> {
  const parsed = parseHostPort(address);
  if (!parsed) throw new UsageError(`--server: "${address}" is not HOST:PORT`);
  const { host } = parsed;
  const tls = Boolean(flags.tls || flags.ca || flags.cert);
  if (!tls && !isLoopback(host)) {
    throw new UsageError(
      `--server ${address}: not a loopback address, so the connection must be TLS: add --tls (and --ca FILE for a private CA)`,
    );
  }
  if ((flags.cert === undefined) !== (flags.key === undefined)) {
    throw new UsageError("--cert and --key go together (the client certificate and its key)");
  }
  const nodeOptions = tls
    ? {
        ...(flags.ca && { ca: await readPem(flags.ca, "--ca") }),
        ...(flags.cert && { cert: await readPem(flags.cert, "--cert") }),
        ...(flags.key && { key: await readPem(flags.key, "--key") }),
      }
    : {};
  return createGrpcTransport({
    baseUrl: `${tls ? "https" : "http"}://${formatHostPort(parsed)}`,
    nodeOptions,
  });
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

async function readPem(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new OaktreeError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * The user's clouds (clouds.yaml, OS_* variables) in a CloudRegistry, as `oaktree serve` would
 * load them; a cloud with a mistake is reported and left out, not fatal for the others.
 */
async function inProcessClouds(env: NodeJS.ProcessEnv): Promise<CloudRegistry> {
  // OAKTREE_CONFIG: the server config of `oaktree serve --config` (its clouds file and watch poll interval).
  const settings = resolveServerSettings(
    env.OAKTREE_CONFIG ? await readServerConfigFile(env.OAKTREE_CONFIG) : {},
  );
  const broken: string[] = [];
  const configs: CloudConfig[] = await listCloudConfigsFromDisk({
    env: settings.cloudsFile ? { ...env, OS_CLIENT_CONFIG_FILE: settings.cloudsFile } : env,
    onError: (error: ConfigError) => broken.push(error.message),
  });
  for (const message of broken)
    process.stderr.write(`oaktree: warning: ${message} (this cloud is left out)\n`);
  if (configs.length === 0) {
    throw new OaktreeError(
      broken.length > 0
        ? "no usable cloud: every configured cloud has a mistake (above)"
        : "no cloud is configured: write a clouds.yaml (or set OS_CLIENT_CONFIG_FILE / OS_AUTH_URL), or use --server HOST:PORT",
    );
  }
  const defaultCloud = settings.defaultCloud ?? (env.OS_CLOUD || undefined);
  return new CloudRegistry({
    configs,
    ...(defaultCloud !== undefined && { defaultCloud }),
    cloudOptions: settings.watch,
  });
}

import { type CloudConfig, type ConfigError, listCloudConfigsFromDisk, OaktreeError } from "@oaktree/core";
import {
  type RunningServer,
  readServerConfigFile,
  resolveServerSettings,
  type ServerConfigFile,
  type ServerSettings,
  serve,
  stopOnSignals,
} from "@oaktree/server";
import { type Simulator, startSimulator } from "@oaktree/sim";
import type { Command } from "commander";
import type { RegisterCommand } from "./index.js";

/** Flags of `oaktree serve` and `oaktree start`. */
export interface ServeFlags {
  readonly listen?: string;
  readonly httpListen?: string;
  readonly config?: string;
  readonly logLevel?: string;
  /** `memory` or `redis://HOST:PORT`: where shared state lives (replicas share one Redis). */
  readonly state?: string;
  /** `personal` (clouds.yaml credentials) or `deployer` (each caller's own). */
  readonly auth?: string;
  /** Start, print, stop (tests and CI). */
  readonly once?: boolean;
}

/**
 * Runs the oaktree service until SIGTERM/SIGINT on the configured clouds. With `simulator`
 * (`oaktree start`), no configured cloud means: serve the built-in simulator (profile modern)
 * instead, and say so.
 */
export async function runServe(flags: ServeFlags, options: { readonly simulator: boolean }): Promise<void> {
  const file: ServerConfigFile = flags.config ? await readServerConfigFile(flags.config) : {};
  const settings = resolveServerSettings(file, {
    ...(flags.listen !== undefined && { listen: flags.listen }),
    ...(flags.httpListen !== undefined && { httpListen: flags.httpListen }),
    ...(flags.logLevel !== undefined && { logLevel: flags.logLevel }),
    ...(flags.state !== undefined && { state: flags.state }),
    ...(flags.auth !== undefined && { auth: flags.auth }),
  });
  // Deployer mode: a cloud names where keystone is; the callers bring the credentials.
  const withoutCredentials = settings.auth.mode === "deployer";
  const env = settings.cloudsFile
    ? { ...process.env, OS_CLIENT_CONFIG_FILE: settings.cloudsFile }
    : process.env;
  const broken: string[] = [];
  const onError = (error: ConfigError) => broken.push(error.message);
  let configs: CloudConfig[] = await listCloudConfigsFromDisk({ env, onError, withoutCredentials });
  for (const message of broken) process.stderr.write(`oaktree: ${message} (this cloud is not served)\n`);
  let defaultCloud = process.env.OS_CLOUD || undefined;
  let sim: Simulator | undefined;
  let server: RunningServer | undefined;
  try {
    if (configs.length === 0 && broken.length === 0 && options.simulator) {
      sim = await startSimulator({ profile: "modern" });
      const path = await sim.writeCloudsYaml();
      process.stdout.write(
        "No cloud is configured (no clouds.yaml found, no OS_* variables), so oaktree serves its built-in OpenStack\n" +
          `simulator (profile ${sim.profile.name}) at ${sim.url}.\n` +
          `Its clouds.yaml (clouds "sim" and "sim-admin") is ${path}; to use it with other tools:\n` +
          `  export OS_CLIENT_CONFIG_FILE=${path}\n\n`,
      );
      configs = await listCloudConfigsFromDisk({
        env: { ...env, OS_CLIENT_CONFIG_FILE: path },
        onError,
        withoutCredentials,
      });
      defaultCloud = "sim";
    }
    if (configs.length === 0) {
      throw new OaktreeError(
        broken.length > 0
          ? "no cloud can be served: every configured cloud has a mistake (above)"
          : "no cloud is configured: write a clouds.yaml (or set OS_CLIENT_CONFIG_FILE / OS_AUTH_URL); `oaktree start` serves the built-in simulator instead",
      );
    }
    if (defaultCloud !== undefined && !configs.some((config) => config.name === defaultCloud)) {
      throw new OaktreeError(`OS_CLOUD: no cloud "${defaultCloud}" is configured`);
    }
    server = await serve({ settings, configs, ...(defaultCloud !== undefined && { defaultCloud }) });
    process.stdout.write(banner(server, settings));
    if (flags.once) return;
    await stopOnSignals(server);
    server = undefined;
  } finally {
    await server?.stop();
    await sim?.stop();
  }
}

/** What `oaktree serve` prints once listening: where, on which clouds, and two lines to try. */
export function banner(server: RunningServer, settings: ServerSettings): string {
  const cloud = server.clouds.defaultCloud ?? server.clouds.cloudNames()[0] ?? "";
  const body = `'${JSON.stringify({ location: { cloud } })}'`;
  const method = "oaktree.v1.FlavorService/ListFlavors";
  const tls = settings.tls;
  const grpcurl = tls
    ? `grpcurl -cacert ${tls.cert}${tls.clientCa ? " -cert CLIENT.pem -key CLIENT-KEY.pem" : ""}`
    : "grpcurl -plaintext";
  const curl = tls
    ? `curl --cacert ${tls.cert}${tls.clientCa ? " --cert CLIENT.pem --key CLIENT-KEY.pem" : ""}`
    : "curl";
  const clouds = server.clouds.cloudNames().join(", ");
  // Deployer mode: every call carries the caller's own token.
  const token = settings.auth.mode === "deployer" ? ` -H "x-auth-token: $OS_TOKEN"` : "";
  return (
    `oaktree is serving gRPC on ${server.grpcAddress}${server.httpUrl ? ` and Connect/JSON on ${server.httpUrl}` : ""}` +
    ` (clouds: ${clouds}${server.clouds.defaultCloud ? `; default: ${server.clouds.defaultCloud}` : ""}).\n` +
    "Try:\n" +
    (token
      ? "Deployer mode: each call carries its caller's keystone token (OS_TOKEN=$(openstack token issue -f value -c id)).\n"
      : "") +
    `  ${grpcurl}${token} -d ${body} ${server.grpcAddress} ${method}\n` +
    (server.httpUrl
      ? `  ${curl}${token} -d ${body} -H 'Content-Type: application/json' ${server.httpUrl}/${method}\n`
      : "") +
    (server.consoleUrl ? `  the web console: ${server.consoleUrl}\n` : "") +
    `Logs are JSON lines on stderr; Ctrl-C stops (streams end with UNAVAILABLE, unary calls get ${settings.shutdownGraceMs / 1000} s).\n`
  );
}

/** Adds the listener flags shared by `serve` and `start`. */
export function serveOptions(command: Command): Command {
  return command
    .option("--listen <HOST:PORT>", "the gRPC listener (default 127.0.0.1:50051)")
    .option(
      "--http-listen <HOST:PORT>",
      "the Connect/JSON, gRPC-Web and /metrics listener, or off (default 127.0.0.1:50052)",
    )
    .option("--config <FILE>", "the server config (YAML; docs/server.md)")
    .option("--log-level <LEVEL>", "fatal, error, warn, info (default), debug, trace or silent")
    .option(
      "--state <memory|redis://HOST:PORT>",
      "shared state: memory (default), or a Redis every replica shares (docs/deployment.md)",
    )
    .option(
      "--auth <personal|deployer>",
      "whose credentials act: personal (clouds.yaml's, default) or deployer (each caller's token or application credential)",
    )
    .option("--once", "start, print where it listens, and stop (tests)");
}

/** `oaktree serve`: the gRPC service on the configured clouds. */
export const registerServe: RegisterCommand = (program: Command) => {
  serveOptions(
    program
      .command("serve")
      .description("Serve the oaktree API (gRPC, and Connect/JSON over HTTP) on the configured clouds"),
  ).action((flags: ServeFlags) => runServe(flags, { simulator: false }));
};

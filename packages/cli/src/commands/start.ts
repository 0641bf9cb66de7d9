import { type CloudConfig, type ConfigError, listCloudConfigsFromDisk, OaktreeError } from "@oaktree/core";
import { type Simulator, startSimulator } from "@oaktree/sim";
import type { Command } from "commander";
import { discoverCloud, formatCatalog } from "./catalog.js";
import type { RegisterCommand } from "./index.js";

interface StartOptions {
  /** Print and exit, stopping the simulator if one was started (CI, tests). */
  readonly once?: boolean;
}

/**
 * `oaktree start` (`npm start`): the main job. For now it loads the configured clouds (or
 * starts the simulator when there are none), prints every cloud's discovered catalog, and
 * keeps a simulator it started running until Ctrl-C. A later milestone serves gRPC here.
 */
async function start(options: StartOptions): Promise<void> {
  const broken: string[] = [];
  const onError = (error: ConfigError) => broken.push(error.message);
  let configs: CloudConfig[] = await listCloudConfigsFromDisk({ onError });
  let sim: Simulator | undefined;
  try {
    if (configs.length === 0 && broken.length === 0) {
      sim = await startSimulator({ profile: "modern" });
      const path = await sim.writeCloudsYaml();
      process.stdout.write(
        "No cloud is configured (no clouds.yaml found, no OS_* variables), so oaktree started its OpenStack\n" +
          `simulator (profile ${sim.profile.name}) at ${sim.url}.\n` +
          `Its clouds.yaml (clouds "sim" and "sim-admin") is ${path}; to use it with other tools:\n` +
          `  export OS_CLIENT_CONFIG_FILE=${path}\n\n`,
      );
      configs = await listCloudConfigsFromDisk({
        env: { ...process.env, OS_CLIENT_CONFIG_FILE: path },
        onError,
      });
    }
    for (const message of broken) process.stderr.write(`oaktree: ${message}\n`);
    const failed: string[] = [];
    for (const config of configs) {
      try {
        process.stdout.write(`${formatCatalog(await discoverCloud(config))}\n`);
      } catch (error) {
        if (!(error instanceof OaktreeError)) throw error;
        const where = `${config.name}${config.region ? ` (${config.region})` : ""}`;
        failed.push(where);
        process.stderr.write(`oaktree: cloud ${where}: ${error.message}\n\n`);
      }
    }
    if (sim && !options.once) {
      process.stdout.write(`The simulator keeps running at ${sim.url}; press Ctrl-C to stop it.\n`);
      await untilInterrupted();
    }
    if (failed.length > 0 || broken.length > 0) {
      throw new OaktreeError(
        `${failed.length + broken.length} of ${configs.length + broken.length} cloud configurations failed${failed.length ? `: ${failed.join(", ")}` : ""}`,
      );
    }
  } finally {
    await sim?.stop();
  }
}

/** Resolves on the first SIGINT or SIGTERM (and stops listening for them). */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

/** `oaktree start`: print every configured cloud's catalog; start the simulator when none is configured. */
export const registerStart: RegisterCommand = (program: Command) => {
  program
    .command("start")
    .description(
      "Print every configured cloud's discovered catalog; with no cloud configured, start the simulator and use it",
    )
    .option("--once", "print and exit (stop the simulator at once if one was started)")
    .action((options: StartOptions) => start(options));
};

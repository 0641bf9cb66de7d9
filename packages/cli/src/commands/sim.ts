import { readFile } from "node:fs/promises";
import { OaktreeError } from "@oaktree/core";
import {
  type FaultRule,
  PROFILE_NAMES,
  type ProfileName,
  parseFaultRules,
  parseSeed,
  type SeedSpec,
  startSimulator,
} from "@oaktree/sim";
import type { Command } from "commander";
import type { RegisterCommand } from "./index.js";

interface SimOptions {
  readonly listen: string;
  readonly profile: string;
  readonly cloudsYaml?: string;
  readonly seed?: string;
  readonly fault: readonly string[];
  readonly faults?: string;
  readonly buildDelay?: string;
}

/** The fault rules of `--faults FILE` then of each `--fault RULE`, checked before the simulator starts. */
async function faultRules(options: SimOptions): Promise<FaultRule[]> {
  const rules: FaultRule[] = [];
  if (options.faults) {
    let text: string;
    try {
      text = await readFile(options.faults, "utf8");
    } catch (error) {
      throw new OaktreeError(`--faults: cannot read ${options.faults}: ${(error as Error).message}`);
    }
    try {
      rules.push(...parseFaultRules(text));
    } catch (error) {
      throw new OaktreeError(`--faults: ${options.faults}: ${(error as Error).message}`);
    }
  }
  for (const rule of options.fault) {
    try {
      rules.push(...parseFaultRules(rule));
    } catch (error) {
      throw new OaktreeError(`--fault ${rule}: ${(error as Error).message}`);
    }
  }
  return rules;
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) {
    throw new OaktreeError(`--listen: expected 127.0.0.1:PORT (loopback only), got "${listen}"`);
  }
  return { host: m[1] === "[::1]" ? "::1" : m[1]!, port: Number(m[2]) };
}

async function runSim(options: SimOptions): Promise<void> {
  if (!PROFILE_NAMES.includes(options.profile as ProfileName)) {
    throw new OaktreeError(
      `--profile: unknown profile "${options.profile}" (expected one of: ${PROFILE_NAMES.join(", ")})`,
    );
  }
  const { host, port } = parseListen(options.listen);
  let seed: SeedSpec | undefined;
  if (options.seed) {
    try {
      seed = parseSeed(await readFile(options.seed, "utf8"));
    } catch (error) {
      throw new OaktreeError(`--seed: cannot read ${options.seed}: ${(error as Error).message}`);
    }
  }
  const rules = await faultRules(options);
  const buildDelayMs = options.buildDelay === undefined ? undefined : Number(options.buildDelay);
  if (buildDelayMs !== undefined && !(Number.isInteger(buildDelayMs) && buildDelayMs >= 0)) {
    throw new OaktreeError(
      `--build-delay: expected milliseconds (an integer >= 0), got "${options.buildDelay}"`,
    );
  }
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      profile: options.profile as ProfileName,
      host,
      port,
      ...(seed ? { seed } : {}),
      ...(buildDelayMs !== undefined && { buildDelayMs }),
    });
  } catch (error) {
    if (error instanceof TypeError || (error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new OaktreeError(`sim: ${(error as Error).message}`);
    }
    throw error;
  }
  for (const rule of rules) sim.admin.addFault(rule);
  const path = await sim.writeCloudsYaml(options.cloudsYaml);
  process.stdout.write(
    `OpenStack simulator (profile ${sim.profile.name}) listening on ${sim.url}\n${path}\n`,
  );
  if (rules.length > 0) {
    process.stdout.write(`${rules.length} fault rule(s) active: ${sim.url}/_sim/faults\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void sim.stop().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `oaktree sim`: serves the OpenStack API simulator until interrupted and prints its clouds.yaml path. */
export const registerSim: RegisterCommand = (program: Command) => {
  program
    .command("sim")
    .description("Run the OpenStack API simulator (clouds `sim` and `sim-admin`) until interrupted")
    .option("--listen <host:port>", "loopback address to listen on", "127.0.0.1:0")
    .option("--profile <name>", `cloud profile (${PROFILE_NAMES.join(", ")})`, "modern")
    .option("--clouds-yaml <file>", "where to write the clouds.yaml (default: a temp file)")
    .option(
      "--seed <file>",
      "YAML/JSON seed spec: {projects, serversPerProject, servers: [{project, count}]}",
    )
    .option(
      "--fault <rule>",
      "a fault rule, JSON or YAML flow, repeatable (docs/simulator.md): '{service: compute, route: POST /servers, dropResponse: true, probability: 0.1}'",
      (rule: string, rules: string[]) => [...rules, rule],
      [] as string[],
    )
    .option("--faults <file>", "YAML/JSON list of fault rules (added before the --fault ones)")
    .option("--build-delay <ms>", "how long new servers stay in BUILD (default 500)")
    .action((options: SimOptions) => runSim(options));
};

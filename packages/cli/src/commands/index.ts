import type { Command } from "commander";
import { apiCommands } from "../client/commands/index.js";
import { registerCatalog } from "./catalog.js";
import { registerCompletion } from "./completion.js";
import { registerConfig } from "./config.js";
import { registerServe } from "./serve.js";
import { registerSim } from "./sim.js";
import { registerStart } from "./start.js";

/** Adds one command (with its subcommands) to the program. */
export type RegisterCommand = (program: Command) => void;

/** Every command of `oaktree`, one module each. */
export const commands: readonly RegisterCommand[] = [
  registerConfig,
  registerCatalog,
  registerStart,
  registerServe,
  registerSim,
  ...apiCommands,
  registerCompletion,
];

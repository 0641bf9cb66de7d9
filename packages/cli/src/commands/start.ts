import type { Command } from "commander";
import type { RegisterCommand } from "./index.js";
import { runServe, type ServeFlags, serveOptions } from "./serve.js";

/**
 * `oaktree start` (`npm start`): `oaktree serve` on the user's clouds.yaml or, when no cloud
 * is configured, on the built-in simulator (profile modern), saying so.
 */
export const registerStart: RegisterCommand = (program: Command) => {
  serveOptions(
    program
      .command("start")
      .description(
        "Serve the oaktree API on your clouds.yaml; with no cloud configured, on the built-in simulator",
      ),
  ).action((flags: ServeFlags) => runServe(flags, { simulator: true }));
};

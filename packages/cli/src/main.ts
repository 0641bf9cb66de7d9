import { OaktreeError } from "@oaktree/core";
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";

/** Runs the `oaktree` command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("oaktree")
    .description("A porcelain for OpenStack clouds")
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof OaktreeError) {
      // A mistake in the user's config or a cloud's refusal: one clear line, no stack trace.
      process.stderr.write(`oaktree: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

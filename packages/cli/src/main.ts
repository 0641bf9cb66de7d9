import { OaktreeError } from "@oaktree/core";
import { Command, CommanderError } from "commander";
import { UsageError } from "./client/errors.js";
import { commands } from "./commands/index.js";
import { CLI_VERSION } from "./version.js";

/** Runs the `oaktree` command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("oaktree")
    .description("A porcelain for OpenStack clouds")
    .version(CLI_VERSION, "-V, --version", "print the oaktree version")
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOf(error);
    if (error instanceof OaktreeError) {
      // A mistake in the user's config or a cloud's refusal: one clear line, no stack trace.
      process.stderr.write(`oaktree: ${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}

/**
 * Commander's own errors (unknown option, missing argument, bad choice) are usage mistakes:
 * exit code 2, as docs/cli.md says; help and --version exit 0; the API commands' errors
 * (code "oaktree.api") carry their exit code already.
 */
function exitCodeOf(error: CommanderError): number {
  if (error.exitCode === 0 || error.code === "oaktree.api") return error.exitCode;
  return 2;
}
